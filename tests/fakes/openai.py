"""An OpenAI-compatible chat-completions endpoint (the booking assistant's optional reader,
KonfirmadoAssistantLLM), mounted at /openai: POST /openai/v1/chat/completions.

Request: {"model", "messages": [{"role": "system"|"user", "content"}...],
          "response_format": {"type": "json_schema", "json_schema": {"name", "strict", "schema"}},
          "temperature"?}, with "Authorization: Bearer <key>".
Answer (as OpenAI's): 200 {"id": "chatcmpl-…", "object": "chat.completion", "created", "model",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "<the intent as a JSON
    string>", "refusal": null}, "finish_reason": "stop"}], "usage": {…}}
Errors as OpenAI words them, {"error": {"message", "type", "param", "code"}}:
    401 invalid_api_key     no Bearer key, or not the configured one
    400 invalid_request     no messages, or no json_schema response_format

Test control:
GET /openai/_control/requests -> {"requests": [the JSON bodies received, oldest first]}

Configuration (POST /_fakes/openai/config):
  key      the API key it accepts (default "sk-test")
  intent   the object it answers as the message content (default: every field null)
  content  a raw string answered as the content instead (malformed answers)
  status   when set, every answer has this status (an outage)
  delay    seconds to wait before answering (a slow endpoint)
"""
import json
import secrets
import time

from base import Fake, Response

NOTHING = {"service": None, "professional": None, "from": None, "to": None,
           "part_of_day": None, "earliest": None, "latest": None}


def error(status, code, message, kind="invalid_request_error"):
    return Response.json({"error": {"message": message, "type": kind, "param": None, "code": code}},
                         status)


class OpenaiFake(Fake):
    name = "openai"
    defaults = {"key": "sk-test", "intent": None, "content": None, "status": None, "delay": 0}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.received = []

    def reset(self):
        super().reset()
        with self.lock:
            self.received = []

    def handle(self, req):
        path = req.subpath.strip("/")
        if path == "_control/requests":
            with self.lock:
                return Response.json({"requests": list(self.received)})
        if req.method != "POST" or path != "v1/chat/completions":
            return error(404, "unknown_url", "Unknown request URL: %s" % req.subpath)
        with self.lock:
            cfg = dict(self.config)
        if cfg["delay"]:
            time.sleep(float(cfg["delay"]))
        if req.header("Authorization", "") != "Bearer " + cfg["key"]:
            return error(401, "invalid_api_key", "Incorrect API key provided.", "invalid_request_error")
        try:
            body = json.loads(req.body.decode("utf-8"))
        except ValueError:
            return error(400, "invalid_request", "We could not parse the JSON body of your request.")
        with self.lock:
            self.received.append(body)
        if cfg["status"]:
            return error(int(cfg["status"]), "server_error", "The server had an error.", "server_error")
        fmt = body.get("response_format") or {}
        if not body.get("messages") or fmt.get("type") != "json_schema" or "schema" not in fmt.get("json_schema", {}):
            return error(400, "invalid_request", "messages and a json_schema response_format are required")
        content = cfg["content"] if cfg["content"] is not None else json.dumps(
            dict(NOTHING, **(cfg["intent"] or {})))
        return Response.json({
            "id": "chatcmpl-" + secrets.token_hex(12), "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})

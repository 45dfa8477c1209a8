// Verify a Konfirmado callback: X-Konfirmado-Signature and the Standard Webhooks headers.
//
// Usage: go run verify.go HEADERS.json BODY_FILE, with the secret in the environment variable
// KONFIRMADO_CALLBACK_SECRET (not on the command line, where ps shows it).
// In an http.Handler, pass r.Header and the raw body (io.ReadAll(r.Body), before any JSON
// decoding) to the two functions below.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const tolerance = 300 // seconds between the callback's timestamp and now

var digits = regexp.MustCompile(`^[0-9]+$`)

func fresh(timestamp string) bool {
	t, err := strconv.ParseInt(timestamp, 10, 64)
	age := time.Now().Unix() - t
	return err == nil && age <= tolerance && age >= -tolerance
}

func hmacSHA256(secret string, parts ...[]byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, part := range parts {
		mac.Write(part)
	}
	return mac.Sum(nil)
}

// KonfirmadoValid checks X-Konfirmado-Signature:
// t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
func KonfirmadoValid(secret string, headers http.Header, body []byte) bool {
	var t, v1 string
	for _, item := range strings.Split(headers.Get("X-Konfirmado-Signature"), ",") {
		name, value, _ := strings.Cut(item, "=")
		switch name {
		case "t":
			t = value
		case "v1":
			v1 = value
		}
	}
	if !digits.MatchString(t) || v1 == "" {
		return false
	}
	want := hex.EncodeToString(hmacSHA256(secret, []byte(t+"."), body))
	return hmac.Equal([]byte(want), []byte(v1)) && fresh(t)
}

// StandardWebhooksValid checks webhook-signature:
// v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>
func StandardWebhooksValid(secret string, headers http.Header, body []byte) bool {
	id, ts := headers.Get("webhook-id"), headers.Get("webhook-timestamp")
	if id == "" || !digits.MatchString(ts) {
		return false
	}
	want := "v1," + base64.StdEncoding.EncodeToString(hmacSHA256(secret, []byte(id+"."+ts+"."), body))
	for _, given := range strings.Split(headers.Get("webhook-signature"), " ") { // one or more
		if hmac.Equal([]byte(want), []byte(given)) {
			return fresh(ts)
		}
	}
	return false
}

func main() {
	secret := os.Getenv("KONFIRMADO_CALLBACK_SECRET")
	headersFile, bodyFile := os.Args[1], os.Args[2]
	raw, err := os.ReadFile(headersFile)
	if err != nil {
		panic(err)
	}
	var captured map[string]string
	if err := json.Unmarshal(raw, &captured); err != nil {
		panic(err)
	}
	headers := http.Header{}
	for name, value := range captured {
		headers.Set(name, value)
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		panic(err)
	}
	ok := true
	for _, check := range []struct {
		scheme string
		valid  func(string, http.Header, []byte) bool
	}{{"X-Konfirmado-Signature", KonfirmadoValid}, {"Standard Webhooks", StandardWebhooksValid}} {
		valid := check.valid(secret, headers, body)
		ok = ok && valid
		if valid {
			fmt.Printf("%s: valid\n", check.scheme)
		} else {
			fmt.Printf("%s: invalid\n", check.scheme)
		}
	}
	if !ok {
		os.Exit(1)
	}
}

"""The oracle of a time in a mail: what the booking pages show for that instant, written by
the pages' own code (htdocs/static/wizard/format.js, formatDateTimeLong, through Node's Intl
with the tags the pages use: es-CO, en-US), followed by the zone's city and its offset at that
instant as Intl names it (shortOffset):

    jueves, 3 de diciembre de 2026 · 3:30 p. m. (hora de Bogota, GMT-5)
    Thursday, December 3, 2026 · 3:30 PM (Bogota time, GMT-5)
"""
import functools
import json
import os
import re
import shutil
import subprocess

from conftest import SRCDIR

FORMAT_JS = os.path.join(SRCDIR, "htdocs", "static", "wizard", "format.js")
TAGS = {"es": "es-CO", "en": "en-US"}

SCRIPT = """
import { formatDateTimeLong } from %s;
const [ms, zone, tag] = process.argv.slice(1);
const at = new Date(Number(ms));
const offset = new Intl.DateTimeFormat(tag, { timeZone: zone, timeZoneName: 'shortOffset' })
  .formatToParts(at).find((p) => p.type === 'timeZoneName').value;
console.log(JSON.stringify([formatDateTimeLong(at.getTime(), zone, tag), offset]));
"""


def as_read(text):
    """text as a reader sees it: the no-break spaces that keep "3:30 p. m." on one line
    (the mails write them, and so do some ICU versions of Intl) read as spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


@functools.lru_cache(maxsize=None)
def _page(ms, zone, tag):
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js runs the pages' own date code (./dev installs nodejs)"
    out = subprocess.run([node, "--input-type=module", "-e",
                          SCRIPT % json.dumps("file://" + FORMAT_JS), str(ms), zone, tag],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    when, offset = json.loads(out)
    return as_read(when), offset


def page_time(instant, zone, lang="es"):
    """instant (an aware datetime) as a mail to a reader in `zone` writes it."""
    when, offset = _page(int(instant.timestamp() * 1000), zone, TAGS[lang])
    offset = "GMT" if offset in ("GMT", "GMT+0", "UTC") else offset
    city = zone.split("/")[-1].replace("_", " ")
    named = "%s time" % city if lang == "en" else "hora de %s" % city
    return "%s (%s, %s)" % (when, named, offset)

// The one Dutch way to show time in the browser; its twin on the server is web/dutch.py
// (Jinja filters of the same names). Always Europe/Amsterdam:
//   datum("2026-12-02T13:02:00Z")      "2 december 2026"   (in running text)
//   datumKort(...)                      "02-12-2026"        (in tables, lists, chart axes)
//   tijd(...)                           "14:02"
//   moment(...)                         "2 december 2026 om 14:02"
// A bare date ("2026-12-02", as typed in a date field) is shown as that day, never shifted.
const ZONE = "Europe/Amsterdam";
const LONG = new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric", timeZone: ZONE });
const SHORT = new Intl.DateTimeFormat("nl-NL", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: ZONE });
const TIME = new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: ZONE });
const BARE = /^\d{4}-\d{2}-\d{2}$/;

/** A Date for a Date, epoch milliseconds or ISO string; a bare date is noon UTC (same day in NL). */
function toDate(value) {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value);
  const text = String(value).trim();
  return new Date(BARE.test(text) ? `${text}T12:00:00Z` : text);
}

const valid = (value) => value !== null && value !== undefined && value !== "" && !Number.isNaN(toDate(value).getTime());

export const datum = (value) => (valid(value) ? LONG.format(toDate(value)) : "");
export const datumKort = (value) => (valid(value) ? SHORT.format(toDate(value)).replaceAll("/", "-") : "");
export const tijd = (value) => (valid(value) && !BARE.test(String(value).trim()) ? TIME.format(toDate(value)) : "");
export function moment(value) {
  const at = tijd(value);
  return at ? `${datum(value)} om ${at}` : datum(value);
}

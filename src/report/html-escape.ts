/** HTML escaping lives with the other sinks' escapers in escape.ts; this name stays for the HTML reporter. */
export { htmlEscape } from "./escape.js";

/**
 * Postal addresses read from blocks without labels: "Azure Interior 4557 De Silva St Fremont
 * CA 94538 United States", "Coolblue B.V. Weena 664 / 3012 CN Rotterdam". A generic parser by
 * postal-code patterns (US, NL, 5- and 4-digit European, UK) and street patterns (number first
 * or last), plus which party an address belongs to, from its labels and surroundings.
 */
import { findDates, type DateOrder } from "./coerce.js";
import { sameLine, type Doc, type Segment } from "./document.js";
import type { Role } from "./fields.js";
import { fold, normalizeSpace } from "./text.js";

/** The parts of a postal address the engine can fill. */
export type AddressPart = "name" | "street" | "city" | "zip" | "state" | "country" | "country_code";

/** One address found in the document: the blocks it spans, its parts, and whose it is when that can be told. */
export interface ParsedAddress {
  segs: Segment[];
  parts: Partial<Record<AddressPart, string>>;
  role?: Role;
}

const STREET_SUFFIX =
  "St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Pkwy|Parkway|Hwy|Highway|Sq|Square|Ter|Terrace|Cir|Circle|Row|Close";
const US_STREET = new RegExp(`(\\d+[A-Za-z]?(?:-\\d+)?)\\s+((?:[\\p{L}.'’-]+\\s+){0,4}?(?:${STREET_SUFFIX})\\.?)(?=[\\s,]|$)`, "u");
const LATIN_STREET =
  /(\d+[A-Za-z]?(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|place|allée|allee|impasse|quai|route|cours|calle|avenida|via|viale|piazza|corso|plaza|paseo|rua)\b[^,\d]*?)\s*(?:[-–,]\s*)?$/iu;
const STREET_WORDS =
  /^(rue|avenue|boulevard|chemin|place|calle|via|viale|piazza|corso|avenida|rua|am|an|auf|im|in|zum|zur|van|de|der|den|het|la|le|del|di|da|dos|das)$/iu;
const LEGAL_FORM =
  /\b(B\.?V\.?|N\.?V\.?|GmbH|AG|KG|UG|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|Corp\.?|S\.?A\.?S?|SARL|Sarl|S\.?r\.?l\.?|S\.?p\.?A\.?|Oy|AB|A\/S|ApS|BVBA|SPRL|Pty|PLC|plc|S\.L\.)(?=[\s,.]|$)/u;
const BUYER_LABEL =
  /(bill(?:ed)?\s+to|ship(?:ped)?\s+to|invoice\s+to|sold\s+to|deliver(?:y)?\s+to|customer|client|klant|kunde|destinataire|factur[ée]\s+[àa]|factuuradres|rechnungsadresse|lieferadresse|billing address|shipping address|recipient|empf[äa]nger)\s*:?\s*$/iu;
const SELLER_LABEL =
  /(from|seller|supplier|vendor|issued by|leverancier|lieferant|fournisseur|vendeur|si[èe]ge social|registered office)\s*:?\s*$/iu;
const IDENTIFIERS = /\b(IBAN|BIC|SWIFT|VAT|BTW|TVA|MwSt|USt|KvK|CoC|SIRE[NT]|RCS|HRB|Tax ID)\b|@|www\.|https?:/iu;

const COUNTRIES: Array<[string, string[]]> = [
  ["US", ["united states", "united states of america", "usa", "u.s.a."]],
  ["NL", ["nederland", "netherlands", "the netherlands", "holland"]],
  ["BE", ["belgie", "belgique", "belgium", "belgien"]],
  ["DE", ["deutschland", "germany", "allemagne"]],
  ["FR", ["france", "frankrijk"]],
  ["GB", ["united kingdom", "uk", "great britain", "england"]],
  ["ES", ["espana", "spain"]],
  ["IT", ["italia", "italy"]],
  ["AT", ["osterreich", "austria"]],
  ["CH", ["schweiz", "suisse", "switzerland", "svizzera"]],
  ["LU", ["luxembourg", "luxemburg"]],
  ["IE", ["ireland"]],
  ["PT", ["portugal"]],
  ["DK", ["danmark", "denmark"]],
  ["SE", ["sverige", "sweden"]],
  ["PL", ["polska", "poland"]],
  ["CA", ["canada"]],
  ["AU", ["australia"]],
];

/** Every address-like block group of the document, with its party when that can be told. */
export function findAddresses(doc: Doc): ParsedAddress[] {
  const candidates: ParsedAddress[] = [];
  for (const seg of doc.segments) {
    if (seg.cell) continue;
    const group = groupBelow(seg, doc);
    for (let n = 1; n <= group.length; n++) {
      const parts = parseAddress(
        group
          .slice(0, n)
          .map((s) => s.text)
          .join("\n"),
        doc.dateOrder,
      );
      if (parts) {
        candidates.push({ segs: group.slice(0, n), parts });
        break;
      }
    }
  }
  // The tightest reading with a name wins: "Pino Bluebird … Amsterdam" alone, not with the
  // slogan above it; but a street block takes the company-name block above it.
  candidates.sort(
    (a, b) =>
      Number(!a.parts.name) - Number(!b.parts.name) || a.segs.length - b.segs.length || (a.segs[0]?.index ?? 0) - (b.segs[0]?.index ?? 0),
  );
  const found: ParsedAddress[] = [];
  for (const c of candidates) if (!found.some((f) => f.segs.some((s) => c.segs.includes(s)))) found.push(c);
  found.sort((a, b) => (a.segs[0]?.index ?? 0) - (b.segs[0]?.index ?? 0));
  assignRoles(found, doc);
  return found;
}

/** A block and up to two blocks right under it, left-aligned with it (an address set as separate lines). */
function groupBelow(seg: Segment, doc: Doc): Segment[] {
  const group = [seg];
  for (let last = seg; group.length < 3;) {
    const next = doc.segments.find(
      (s) =>
        !s.cell &&
        s.page === last.page &&
        Math.abs(s.bbox[0] - last.bbox[0]) <= 0.03 &&
        s.bbox[1] >= last.bbox[3] - 0.002 &&
        s.bbox[1] - last.bbox[3] <= 1.5 * doc.lineHeight,
    );
    if (!next) break;
    group.push(next);
    last = next;
  }
  return group;
}

/** Name, street, zip, city, state, country of one address text; undefined when it holds no street and postal code. */
export function parseAddress(raw: string, order: DateOrder = "dmy"): Partial<Record<AddressPart, string>> | undefined {
  const text = raw
    .split("\n")
    .map(normalizeSpace)
    .join("\n")
    .replace(/(?<=\.)(?=\p{Lu}\p{Ll}{2,})/gu, " ");
  if (text.length > 250) return undefined;
  const parts = parseUs(text) ?? parseEuropean(text);
  if (!parts) return undefined;
  // A name is a few words, not a sentence ("… was broken up with Fagin's arrest").
  if (parts.name && (parts.name.split(/\s+/u).length > 8 || /\p{Ll}[.!?]\s/u.test(parts.name))) return undefined;
  // "Jan 1, 2022" is a date, not "street Jan 1, zip 2022".
  const dates = findDates(text, order).map((d) => text.slice(d.start, d.end));
  if (dates.some((d) => d.includes(parts.zip ?? "\u0000") || d.includes(parts.street ?? "\u0000"))) return undefined;
  if (parts.name) parts.name = trimPunct(parts.name.replace(ROLE_PREFIX, "").replace(ROLE_SUFFIX, "")).replace(/\n/gu, " ");
  if (!parts.name || ROLE_SUFFIX.test(parts.name) || /^(name|nom|naam|adresse?|address|adres)$/iu.test(parts.name)) delete parts.name;
  for (const k of Object.keys(parts) as AddressPart[]) parts[k] = normalizeSpace(parts[k] ?? "");
  return parts;
}

const ROLE_PREFIX = /^\s*(bill(?:ed)?\s+to|ship\s+to|invoice\s+to|sold\s+to|from|seller|supplier|vendor|customer|client)\s*:\s*/iu;
const ROLE_SUFFIX = /\s*(si[èe]ge social|registered office|head office|adresse)\s*:?\s*$/iu;

function parseUs(text: string): Partial<Record<AddressPart, string>> | undefined {
  const m = /\b([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b/u.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const street = US_STREET.exec(before);
  if (!street) return undefined;
  const parts: Partial<Record<AddressPart, string>> = {
    street: street[0].trim(),
    state: m[1] ?? "",
    zip: m[2] ?? "",
    city: trimPunct(before.slice(street.index + street[0].length)),
  };
  const name = trimPunct(before.slice(0, street.index));
  if (name) parts.name = name;
  return withCountry(parts, text.slice(m.index + m[0].length));
}

const EU_ZIPS: RegExp[] = [
  /\b(\d{4} ?[A-Z]{2})\s+(\p{Lu}[\p{L}'’-]+(?:[ -]\p{Lu}[\p{L}'’-]+)?)(?![\p{L}:])/u,
  /\b(\d{5})\s+(\p{Lu}[\p{L}'’-]+(?:[ -]\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}:])/u,
  /\b(\d{4})\s+(\p{Lu}[\p{L}'’-]+(?:[ -]\p{Lu}[\p{L}'’-]+)?)(?![\p{L}:])/u,
  /(?<=\s)(\p{Lu}[\p{L}'’-]+)\s+([A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})\b/u,
];

function parseEuropean(text: string): Partial<Record<AddressPart, string>> | undefined {
  for (const [k, re] of EU_ZIPS.entries()) {
    const m = re.exec(text);
    if (!m) continue;
    const uk = k === 3;
    const [zip, city] = uk ? [m[2] ?? "", m[1] ?? ""] : [m[1] ?? "", m[2] ?? ""];
    const before = text.slice(0, m.index);
    const street = streetAtEnd(before);
    if (!street) continue;
    const parts: Partial<Record<AddressPart, string>> = { street: street.street, zip, city: removeCountry(city) };
    if (street.name) parts.name = street.name;
    return withCountry(parts, text.slice(m.index + m[0].length), city);
  }
  return undefined;
}

/** The street that ends a text: "27 rue Henri Rolland" (number first) or "Weena 664" (number last). */
function streetAtEnd(before: string): { street: string; name?: string } | undefined {
  const trimmed = before.replace(/[\s,–-]+$/u, "");
  const us = new RegExp(`${US_STREET.source}$`, "u").exec(trimmed);
  if (us) return withName(trimmed, us.index, us[0].trim());
  const latin = LATIN_STREET.exec(trimmed);
  if (latin) return withName(trimmed, latin.index, latin[1]?.trim() ?? "");
  const m = /\s?(\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)$/u.exec(trimmed);
  if (!m) return undefined;
  const words = trimmed.slice(0, m.index).split(/[ \n]/u).filter(Boolean);
  let k = words.length - 1;
  if (k < 0 || !/^\p{L}/u.test(words[k] ?? "")) return undefined;
  while (k > 0 && (STREET_WORDS.test(words[k - 1] ?? "") || /^\p{Ll}/u.test(words[k - 1] ?? ""))) k--;
  const streetWords = words.slice(k);
  const name = words.slice(0, k).join(" ");
  return withName(
    trimmed,
    trimmed.length - (streetWords.join(" ").length + m[0].length),
    `${streetWords.join(" ")} ${m[1] ?? ""}`.trim(),
    name,
  );
}

function withName(text: string, at: number, street: string, name?: string): { street: string; name?: string } {
  const n = trimPunct(name ?? text.slice(0, at));
  return n ? { street, name: n } : { street };
}

function withCountry(parts: Partial<Record<AddressPart, string>>, after: string, city?: string): Partial<Record<AddressPart, string>> {
  const tail = fold(`${city ?? ""} ${after}`).text;
  for (const [code, names] of COUNTRIES) {
    for (const name of names) {
      const at = tail.search(new RegExp(`(?<![\\p{L}])${name.replaceAll(".", "\\.")}(?![\\p{L}])`, "u"));
      if (at < 0) continue;
      const original = `${city ?? ""} ${after}`.slice(at, at + name.length);
      return { ...parts, country: original, country_code: code };
    }
  }
  return parts;
}

function removeCountry(city: string): string {
  const f = fold(city).text;
  for (const [, names] of COUNTRIES) for (const n of names) if (f.endsWith(` ${n}`)) return city.slice(0, city.length - n.length - 1);
  return city;
}

const trimPunct = (s: string): string => s.replace(/^[\s,;:–-]+|[\s,;:–-]+$/gu, "");

/**
 * Which address is whose: a label ("Bill to", "Siège social") decides; else the seller is the
 * address with a legal form, with the bank and tax identifiers next to it, at the top of the page.
 */
function assignRoles(addresses: ParsedAddress[], doc: Doc): void {
  if (addresses.length === 0) return;
  const scores = addresses.map((a) => sellerScore(a, addresses, doc));
  const labelled = addresses.map((a) => labelRole(a, doc));
  labelled.forEach((role, i) => {
    const a = addresses[i];
    if (a && role) a.role = role;
  });
  if (addresses.length === 1) {
    // A lone address is the seller's only when it says so: a legal form or the bank and tax identifiers.
    const [only] = addresses;
    if (only && !only.role && (scores[0] ?? 0) >= 1) only.role = "seller";
    return;
  }
  let best = -1;
  scores.forEach((s, i) => {
    if (labelled[i] !== "buyer" && (best < 0 || s > (scores[best] ?? 0))) best = i;
  });
  const seller = addresses[best];
  if (seller && !labelled.includes("seller")) seller.role = "seller";
  const others = addresses.filter((a) => a.role === undefined);
  if (others.length === 1 && !labelled.includes("buyer") && others[0]) others[0].role = "buyer";
}

function labelRole(a: ParsedAddress, doc: Doc): Role | undefined {
  const first = a.segs[0];
  if (!first) return undefined;
  const above = doc.segments.filter(
    (s) =>
      s.page === first.page &&
      s.bbox[3] <= first.bbox[1] + 0.002 &&
      first.bbox[1] - s.bbox[3] <= 2.5 * doc.lineHeight &&
      s.bbox[0] <= first.bbox[2] &&
      first.bbox[0] <= s.bbox[2],
  );
  const left = doc.segments.filter((s) => s !== first && sameLine(s, first) && s.bbox[2] <= first.bbox[0] + 0.01);
  const heads = [...above, ...left].map((s) => s.text);
  const own = a.segs.map((s) => s.text).join(" ");
  const prefix = own.slice(0, 40);
  if (
    heads.some((h) => BUYER_LABEL.test(h)) ||
    /^(bill(?:ed)?\s+to|ship\s+to|invoice\s+to|sold\s+to|customer|client|klant|kunde)\s*:/iu.test(prefix)
  )
    return "buyer";
  if (
    heads.some((h) => SELLER_LABEL.test(h)) ||
    /^(from|seller|supplier|vendor)\s*:/iu.test(prefix) ||
    SELLER_LABEL.test(own.slice(0, own.search(/\d/u) + 1 || 60).replace(/\d.*$/u, ""))
  )
    return "seller";
  return undefined;
}

function sellerScore(a: ParsedAddress, all: readonly ParsedAddress[], doc: Doc): number {
  const text = a.segs.map((s) => s.text).join(" ");
  let score = LEGAL_FORM.test(a.parts.name ?? "") ? 1 : 0;
  const last = a.segs.at(-1);
  const near = doc.segments.filter(
    (s) =>
      last &&
      s.page === last.page &&
      !a.segs.includes(s) &&
      Math.abs(s.bbox[1] - last.bbox[3]) <= 4 * doc.lineHeight &&
      s.bbox[0] <= last.bbox[2] &&
      last.bbox[0] <= s.bbox[2],
  );
  if (IDENTIFIERS.test(text) || near.some((s) => IDENTIFIERS.test(s.text))) score += 1;
  const top = Math.min(...all.map((o) => (o.segs[0]?.page ?? 0) * 10 + (o.segs[0]?.bbox[1] ?? 0)));
  if ((a.segs[0]?.page ?? 0) * 10 + (a.segs[0]?.bbox[1] ?? 0) === top) score += 0.5;
  return score;
}

/**
 * The generic synonym table: what a property is about (its concept), how properties for it
 * are usually named (`keys`), how documents label it (`labels`, weighted), and what its value
 * looks like (`shape`). Phrases are written in English; the vocabulary maps other languages'
 * words onto them ("Rechnungsnummer" → invoice number). Nothing here names a vendor.
 */
import { phraseOf } from "./text.js";

/** What a value looks like in text. */
export type Shape =
  | "money"
  | "number"
  | "percent"
  | "date"
  | "id"
  | "text"
  | "email"
  | "url"
  | "phone"
  | "iban"
  | "bic"
  | "incoterm"
  | "currency"
  | "boolean"
  | "unit"
  | "payment_method"
  | "enum";

/** Where a concept lives: on the document, on a line item, or both. */
export type Scope = "doc" | "item" | "any";
/** The field types a concept can fill. */
export type TypeFamily = "number" | "string" | "boolean";

/** One entry of the synonym table, its phrases canonicalized. */
export interface Concept {
  id: string;
  scope: Scope;
  types: readonly TypeFamily[];
  shape: Shape;
  /** Canonical phrases of property names. */
  keys: string[][];
  /** Canonical phrases of document labels, with how surely each means the concept. */
  labels: Array<{ words: string[]; weight: number }>;
  /** Totals come last on an invoice, its number and date first: which occurrence to prefer. */
  prefer?: "first" | "last";
  /** Filled from an address block rather than a label, when no label names it. */
  addressPart?: "name" | "street" | "city" | "zip" | "state" | "country" | "country_code";
}

interface ConceptSource {
  id: string;
  scope: Scope;
  types: TypeFamily[];
  shape: Shape;
  keys: string[];
  labels: Array<[string, number]>;
  prefer?: "first" | "last";
  addressPart?: Concept["addressPart"];
}

const S: TypeFamily[] = ["string"];
const N: TypeFamily[] = ["number"];
const SN: TypeFamily[] = ["string", "number"];

const SOURCES: ConceptSource[] = [
  {
    id: "invoice_number",
    scope: "doc",
    types: SN,
    shape: "id",
    prefer: "first",
    keys: ["invoice number", "invoice", "invoice id", "invoice no", "bill number", "document number", "invoice reference"],
    labels: [
      ["invoice number", 1],
      ["invoice", 0.85],
      ["invoice id", 1],
      ["invoice reference", 0.9],
      ["document number", 0.8],
      ["number", 0.6],
    ],
  },
  {
    id: "invoice_date",
    scope: "doc",
    types: S,
    shape: "date",
    prefer: "first",
    keys: ["date", "invoice date", "issue date", "date issued", "billing date", "document date", "date invoice"],
    labels: [
      ["invoice date", 1],
      ["date", 0.9],
      ["issue date", 1],
      ["date issue", 1],
      ["issued", 0.7],
      ["billing date", 0.95],
      ["document date", 0.9],
      ["date invoice", 1],
    ],
  },
  {
    id: "due_date",
    scope: "doc",
    types: S,
    shape: "date",
    keys: ["due date", "date due", "payment due date", "due", "payment date due", "expiry date"],
    labels: [
      ["due date", 1],
      ["payment due", 0.9],
      ["due", 0.8],
      ["pay by", 0.8],
      ["payment date", 0.7],
      ["date due", 1],
    ],
  },
  {
    id: "delivery_date",
    scope: "any",
    types: S,
    shape: "date",
    keys: ["delivery date", "ship date", "shipping date", "date delivery", "supply date"],
    labels: [
      ["delivery date", 1],
      ["ship date", 1],
      ["date supply", 0.9],
      ["date ship", 1],
    ],
  },
  {
    id: "order_date",
    scope: "doc",
    types: S,
    shape: "date",
    keys: ["order date", "date order"],
    labels: [
      ["order date", 1],
      ["date order", 1],
    ],
  },
  {
    id: "period_start",
    scope: "doc",
    types: S,
    shape: "date",
    keys: ["date start", "start date", "period start", "service start"],
    labels: [
      ["start date", 1],
      ["period start", 1],
      ["period from", 0.8],
    ],
  },
  {
    id: "period_end",
    scope: "doc",
    types: S,
    shape: "date",
    keys: ["date end", "end date", "period end", "service end"],
    labels: [
      ["end date", 1],
      ["period end", 1],
      ["period until", 0.8],
    ],
  },
  {
    id: "total",
    scope: "doc",
    types: N,
    shape: "money",
    prefer: "last",
    keys: [
      "total",
      "amount",
      "total amount",
      "amount total",
      "grand total",
      "invoice total",
      "total due",
      "amount due",
      "total gross",
      "gross amount",
      "amount gross",
      "total invoice",
      "amount invoice",
      "total price",
    ],
    labels: [
      ["total", 1],
      ["grand total", 1],
      ["total amount", 1],
      ["amount due", 0.95],
      ["total due", 0.95],
      ["balance due", 0.9],
      ["balance", 0.7],
      ["invoice total", 1],
      ["total gross", 1],
      ["total gross tax", 1],
      ["amount gross", 0.95],
      ["total pay", 0.95],
      ["amount payable", 0.9],
      ["total payable", 0.9],
      ["pay", 0.7],
      ["invoice amount", 0.95],
      ["amount", 0.8],
    ],
  },
  {
    id: "net_amount",
    scope: "doc",
    types: N,
    shape: "money",
    prefer: "last",
    keys: [
      "amount net",
      "net amount",
      "total net",
      "net total",
      "subtotal net",
      "total net tax",
      "amount net tax",
      "net",
      "amount before tax",
      "taxable amount",
    ],
    labels: [
      ["total net", 1],
      ["net amount", 1],
      ["net tax", 1],
      ["total net tax", 1],
      ["amount net tax", 1],
      ["net", 0.85],
      ["subtotal", 0.8],
      ["subtotal net", 1],
      ["taxable amount", 0.9],
      ["amount before tax", 1],
      ["total before tax", 1],
    ],
  },
  {
    id: "subtotal",
    scope: "doc",
    types: N,
    shape: "money",
    prefer: "last",
    keys: ["subtotal", "sub total", "subtotal amount", "amount subtotal"],
    labels: [
      ["subtotal", 1],
      ["total net", 0.8],
      ["net amount", 0.8],
      ["net tax", 0.8],
    ],
  },
  {
    id: "tax_amount",
    scope: "doc",
    types: N,
    shape: "money",
    prefer: "last",
    keys: ["tax", "tax amount", "amount tax", "total tax", "tax total", "taxes"],
    labels: [
      ["tax", 1],
      ["tax amount", 1],
      ["total tax", 1],
      ["amount tax", 1],
    ],
  },
  {
    id: "tax_rate",
    scope: "any",
    types: N,
    shape: "percent",
    keys: ["tax rate", "tax percent", "rate tax", "item tax percent", "tax percentage", "percent tax", "item tax rate", "tax"],
    labels: [
      ["tax rate", 1],
      ["tax", 0.85],
      ["tax percent", 1],
      ["rate", 0.6],
    ],
  },
  {
    id: "vat_id",
    scope: "doc",
    types: S,
    shape: "id",
    keys: ["tax", "tax number", "tax id", "tax registration", "tax identification number", "tax registration number", "tax code"],
    labels: [
      ["tax number", 1],
      ["tax id", 1],
      ["tax", 0.85],
      ["tax registration number", 1],
      ["tax identification number", 1],
      ["tax code", 0.9],
      ["tax registration", 1],
    ],
  },
  {
    id: "discount",
    scope: "any",
    types: N,
    shape: "number",
    keys: ["discount", "discount percent", "discount amount", "discount rate"],
    labels: [
      ["discount", 1],
      ["discount percent", 1],
    ],
  },
  {
    id: "quantity",
    scope: "item",
    types: N,
    shape: "number",
    keys: ["quantity", "item quantity", "quantity ordered", "unit quantity", "number unit"],
    labels: [
      ["quantity", 1],
      ["unit", 0.5],
    ],
  },
  {
    id: "unit_price",
    scope: "item",
    types: N,
    shape: "money",
    keys: ["unit price", "price", "price unit", "price per unit", "rate", "unit cost", "item price", "price net unit"],
    labels: [
      ["unit price", 1],
      ["price", 0.85],
      ["price each", 0.95],
      ["rate", 0.85],
      ["unit cost", 1],
      ["cost", 0.7],
      ["price unit net", 1],
    ],
  },
  {
    id: "line_amount",
    scope: "item",
    types: N,
    shape: "money",
    keys: [
      "amount",
      "total",
      "item total",
      "item amount",
      "price subtotal",
      "subtotal",
      "price total",
      "total price",
      "amount net",
      "net amount",
      "amount gross",
    ],
    labels: [
      ["amount", 1],
      ["total", 0.9],
      ["item total", 1],
      ["total price", 0.95],
      ["price total", 0.95],
      ["price gross tax", 0.9],
      ["price gross", 0.9],
      ["amount net", 0.9],
      ["subtotal", 0.85],
      ["amount gross", 0.9],
      ["amount net tax", 0.9],
    ],
  },
  {
    id: "description",
    scope: "item",
    types: S,
    shape: "text",
    keys: [
      "description",
      "name",
      "item",
      "item name",
      "product",
      "product name",
      "item description",
      "service",
      "details",
      "label",
      "title",
      "designation",
      "product description",
    ],
    labels: [
      ["description", 1],
      ["item", 0.9],
      ["product", 0.9],
      ["item description", 1],
      ["name", 0.8],
      ["service", 0.8],
      ["details", 0.8],
      ["product name", 1],
      ["item name", 1],
    ],
  },
  {
    id: "item_code",
    scope: "item",
    types: SN,
    shape: "id",
    keys: [
      "code",
      "item code",
      "product code",
      "sku",
      "item number",
      "product number",
      "part number",
      "item id",
      "product id",
      "reference",
    ],
    labels: [
      ["code", 1],
      ["item code", 1],
      ["sku", 1],
      ["item number", 0.95],
      ["part number", 0.95],
      ["product code", 1],
      ["reference", 0.8],
    ],
  },
  {
    id: "unit",
    scope: "item",
    types: S,
    shape: "unit",
    keys: ["unit", "unit measure", "unit name", "measure"],
    labels: [
      ["unit", 1],
      ["unit measure", 1],
    ],
  },
  {
    id: "email",
    scope: "doc",
    types: S,
    shape: "email",
    keys: ["email", "email address"],
    labels: [
      ["email", 1],
      ["email address", 1],
    ],
  },
  {
    id: "phone",
    scope: "doc",
    types: S,
    shape: "phone",
    keys: ["phone", "phone number", "number phone"],
    labels: [
      ["phone", 1],
      ["phone number", 1],
    ],
  },
  {
    id: "website",
    scope: "doc",
    types: S,
    shape: "url",
    keys: ["website", "website url", "web address", "homepage"],
    labels: [["website", 1]],
  },
  {
    id: "iban",
    scope: "doc",
    types: S,
    shape: "iban",
    keys: ["iban", "bank account", "account number", "iban number", "bank account number"],
    labels: [
      ["iban", 1],
      ["bank account", 0.9],
      ["account number", 0.8],
      ["account", 0.7],
      ["bank account number", 0.9],
    ],
  },
  {
    id: "bic",
    scope: "doc",
    types: S,
    shape: "bic",
    keys: ["bic", "bic code", "bank code"],
    labels: [
      ["bic", 1],
      ["bic code", 1],
    ],
  },
  {
    id: "registration",
    scope: "doc",
    types: SN,
    shape: "id",
    keys: [
      "registration",
      "registration number",
      "company registration",
      "company number",
      "company registration number",
      "registration id",
    ],
    labels: [
      ["registration", 1],
      ["registration number", 1],
      ["company number", 0.9],
      ["company registration", 1],
      ["company registration number", 1],
      ["siren", 0.9],
      ["siret", 0.9],
    ],
  },
  {
    id: "customer_number",
    scope: "doc",
    types: SN,
    shape: "id",
    keys: ["customer number", "customer id", "account number customer", "customer code"],
    labels: [
      ["customer number", 1],
      ["customer id", 1],
      ["customer code", 1],
      ["customer", 0.6],
    ],
  },
  {
    id: "order_number",
    scope: "doc",
    types: SN,
    shape: "id",
    keys: ["order number", "order id", "order", "order reference", "order purchase", "order purchase number", "order purchase id"],
    labels: [
      ["order number", 1],
      ["order purchase", 1],
      ["order", 0.8],
      ["order purchase number", 1],
      ["order reference", 0.9],
      ["order id", 1],
    ],
  },
  {
    id: "payment_reference",
    scope: "doc",
    types: SN,
    shape: "id",
    keys: ["payment reference", "reference payment", "remittance reference", "payment id"],
    labels: [
      ["payment reference", 1],
      ["reference", 0.6],
      ["remittance", 0.8],
      ["structured reference", 0.9],
    ],
  },
  {
    id: "customer_reference",
    scope: "doc",
    types: SN,
    shape: "id",
    keys: ["customer reference", "reference customer", "your reference", "reference", "customer order reference"],
    labels: [
      ["reference", 0.9],
      ["customer reference", 1],
    ],
  },
  {
    id: "payment_terms",
    scope: "doc",
    types: S,
    shape: "text",
    keys: ["payment terms", "terms", "terms payment"],
    labels: [
      ["payment terms", 1],
      ["terms", 0.8],
    ],
  },
  {
    id: "payment_method",
    scope: "doc",
    types: S,
    shape: "payment_method",
    keys: ["payment method", "payment type", "method payment", "payment mode", "payment means"],
    labels: [
      ["payment method", 1],
      ["method payment", 1],
      ["payment", 0.6],
      ["method", 0.7],
    ],
  },
  {
    id: "incoterm",
    scope: "doc",
    types: S,
    shape: "incoterm",
    keys: ["incoterm", "delivery terms", "terms delivery"],
    labels: [
      ["incoterm", 1],
      ["delivery terms", 0.9],
      ["ship terms", 0.9],
    ],
  },
  {
    id: "currency",
    scope: "doc",
    types: S,
    shape: "currency",
    keys: ["currency", "currency code", "currency symbol", "currency iso"],
    labels: [["currency", 1]],
  },
  // Filled from the label "Title:" when there is one, else from the extraction's title block.
  {
    id: "title",
    scope: "doc",
    types: S,
    shape: "text",
    keys: ["title", "document title", "heading", "headline"],
    labels: [["title", 0.9]],
  },
  { id: "note", scope: "doc", types: S, shape: "text", keys: ["note", "notes", "remark", "comment", "memo"], labels: [["note", 1]] },
  { id: "paid", scope: "doc", types: ["boolean"], shape: "boolean", keys: ["paid", "is paid", "payment received"], labels: [["paid", 1]] },
  {
    id: "party_name",
    scope: "doc",
    types: S,
    shape: "text",
    addressPart: "name",
    keys: ["name", "company name", "company", "business name", "legal name", "registration name"],
    labels: [
      ["name", 0.8],
      ["company name", 1],
    ],
  },
  {
    id: "street",
    scope: "doc",
    types: S,
    shape: "text",
    addressPart: "street",
    keys: ["street", "street address", "address", "address line", "address street", "street name", "address line one"],
    labels: [
      ["street", 1],
      ["address", 0.8],
    ],
  },
  { id: "city", scope: "doc", types: S, shape: "text", addressPart: "city", keys: ["city", "town", "city name"], labels: [["city", 1]] },
  {
    id: "zip",
    scope: "doc",
    types: SN,
    shape: "text",
    addressPart: "zip",
    keys: ["zip", "zip code", "postal code", "postal", "zip postal"],
    labels: [
      ["zip", 1],
      ["postal code", 1],
    ],
  },
  {
    id: "state",
    scope: "doc",
    types: S,
    shape: "text",
    addressPart: "state",
    keys: ["state", "state code", "province", "state name", "region"],
    labels: [["state", 1]],
  },
  {
    id: "country",
    scope: "doc",
    types: S,
    shape: "text",
    addressPart: "country",
    keys: ["country", "country name"],
    labels: [["country", 1]],
  },
  {
    id: "country_code",
    scope: "doc",
    types: S,
    shape: "text",
    addressPart: "country_code",
    keys: ["country code", "country iso", "country id code"],
    labels: [["country code", 1]],
  },
];

/** The concept table, phrases canonicalized once. */
export const CONCEPTS: readonly Concept[] = SOURCES.map((s) => {
  const concept: Concept = {
    id: s.id,
    scope: s.scope,
    types: s.types,
    shape: s.shape,
    keys: s.keys.map(phraseOf),
    labels: s.labels.map(([text, weight]) => ({ words: phraseOf(text), weight })),
  };
  if (s.prefer) concept.prefer = s.prefer;
  if (s.addressPart) concept.addressPart = s.addressPart;
  return concept;
});

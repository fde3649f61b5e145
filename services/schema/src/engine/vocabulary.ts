/**
 * Word-level vocabulary for matching labels to property names across languages: every word
 * is mapped to one canonical English word, so "Rechnungsnummer", "Factuurnummer",
 * "N° de facture" and "invoice_no" all become `invoice number`. A generic table of the words
 * documents use, not a list of any vendor's labels.
 */

const GROUPS: Record<string, string[]> = {
  invoice: ["invoice", "inv", "facture", "factuur", "rechnung", "factura", "fattura", "fatura", "faktura"],
  number: ["number", "no", "nr", "num", "nbr", "nummer", "numero", "nro", "nummero", "nº", "number#"],
  date: ["date", "datum", "fecha", "data", "dt", "dated"],
  due: ["due", "echeance", "verval", "fallig", "faellig", "falligkeit", "faelligkeit", "vencimiento", "scadenza", "payable"],
  total: ["total", "totaal", "gesamt", "totale", "tot", "totals", "totalbetrag", "endbetrag"],
  amount: ["amount", "amt", "montant", "bedrag", "betrag", "importe", "importo", "sum", "summe", "somme", "valor"],
  subtotal: ["subtotal", "subtotaal", "zwischensumme", "subtotale", "soustotal", "sub"],
  tax: ["tax", "taxe", "taxes", "vat", "btw", "tva", "mwst", "ust", "iva", "gst", "hst", "steuer", "impuesto", "taxed"],
  net: ["net", "netto", "untaxed", "ht", "excl", "exclusief", "exclusive", "excluding", "exkl", "hors", "nett"],
  gross: ["gross", "brutto", "ttc", "incl", "inclusief", "inclusive", "including", "inkl", "bruto"],
  quantity: ["quantity", "qty", "qte", "quantite", "aantal", "menge", "anzahl", "cantidad", "quantita", "qt", "quant", "nombre", "hours", "hrs"],
  unit: ["unit", "uom", "unite", "eenheid", "einheit", "stuk", "piece", "pc", "each", "ea", "unidad", "unitaire", "unitario", "u"],
  price: ["price", "prijs", "preis", "prix", "precio", "prezzo", "rate", "tarif", "tarief", "pu", "einzelpreis"],
  description: ["description", "desc", "omschrijving", "beschreibung", "bezeichnung", "designation", "libelle", "descripcion", "descrizione", "concepto", "details", "leistung"],
  item: ["item", "artikel", "article", "product", "produit", "produkt", "producto", "articolo", "position", "pos", "line", "service", "goods"],
  discount: ["discount", "disc", "korting", "rabatt", "remise", "descuento", "sconto", "rebate"],
  percent: ["percent", "percentage", "pct", "perc", "%", "prozent", "pourcentage", "procent"],
  customer: ["customer", "client", "klant", "kunde", "kunden", "cliente", "buyer", "koper", "acheteur", "purchaser"],
  order: ["order", "bestell", "bestellung", "commande", "pedido", "ordine", "po", "purchase"],
  reference: ["reference", "ref", "referentie", "referenz", "referencia", "kenmerk", "riferimento", "communication", "mededeling", "verwendungszweck"],
  payment: ["payment", "betaling", "zahlung", "paiement", "reglement", "pago", "pagamento", "betaal", "pay", "paid", "zahlungs", "bezahlt", "betaald", "paye", "pagado", "pagato"],
  terms: ["terms", "term", "voorwaarden", "bedingungen", "conditions", "condiciones", "termini"],
  method: ["method", "mode", "modes", "wijze", "methode", "metodo", "means", "way", "zahlungsart", "betaalwijze", "betaalmethode"],
  email: ["email", "mail", "courriel", "correo"],
  phone: ["phone", "telephone", "tel", "telefoon", "telefon", "telefono", "mobile", "mobiel", "handy", "cell", "gsm", "ph", "fon"],
  website: ["website", "web", "site", "url", "www", "homepage", "internet", "webseite", "sitio"],
  iban: ["iban"],
  bic: ["bic", "swift"],
  account: ["account", "rekening", "konto", "compte", "cuenta", "conto", "rekeningnummer"],
  bank: ["bank", "banque", "banco", "banca"],
  registration: ["coc", "kvk", "chamber", "commerce", "handelsregister", "hrb", "hra", "rcs", "registration", "register", "registre", "registro", "kbo", "handelsregisternummer"],
  id: ["id", "identifier", "identification", "ident", "idnr", "code", "cod"],
  name: ["name", "naam", "nom", "nome", "firma", "bedrijfsnaam"],
  address: ["address", "adres", "adresse", "direccion", "indirizzo", "addr"],
  street: ["street", "straat", "strasse", "rue", "calle", "via", "str"],
  city: ["city", "plaats", "stad", "ort", "stadt", "ville", "ciudad", "citta", "town", "woonplaats"],
  zip: ["zip", "postcode", "postal", "plz", "postleitzahl", "cp", "zipcode", "postalcode"],
  state: ["state", "province", "provincie", "bundesland", "region", "provincia"],
  country: ["country", "land", "pays", "pais", "paese"],
  currency: ["currency", "valuta", "wahrung", "devise", "moneda", "valuta", "cur", "ccy"],
  balance: ["balance", "saldo", "solde", "restbetrag", "openstaand", "outstanding"],
  grand: ["grand", "final", "overall"],
  seller: ["seller", "supplier", "vendor", "issuer", "merchant", "leverancier", "lieferant", "fournisseur", "vendeur", "verkoper", "verkaufer", "proveedor", "from"],
  ship: ["ship", "shipping", "delivery", "deliver", "levering", "lieferung", "livraison", "envio", "liefer", "lever"],
  note: ["note", "notes", "remark", "remarks", "comment", "comments", "opmerking", "opmerkingen", "bemerkung", "bemerkungen", "remarque", "observaciones", "memo"],
  incoterm: ["incoterm", "incoterms"],
  start: ["start", "begin", "debut", "beginn"],
  end: ["end", "until", "fin", "ende", "tot", "einde"],
  period: ["period", "periode", "zeitraum", "periodo"],
};

/** Words that carry no meaning in a label ("N° de facture" = "facture n°"). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  "the", "of", "for", "your", "our", "de", "du", "des", "la", "le", "les", "l", "d", "van", "het", "der", "die", "das",
  "den", "dem", "von", "del", "di", "da", "en", "et", "und", "and", "a", "an", "per", "on", "op", "to", "au", "aux", "in",
  "im", "el", "los", "las", "is", "this", "please", "use", "following", "with", "je", "uw", "ihre", "votre", "vos", "y",
]);

const CANON = new Map<string, string>();
for (const [canon, words] of Object.entries(GROUPS)) for (const w of words) if (!CANON.has(w)) CANON.set(w, canon);

/** The canonical word for a folded word, or undefined when the vocabulary does not know it. */
export function canonicalWord(word: string): string | undefined {
  return CANON.get(word) ?? (word.length > 3 && word.endsWith("s") ? CANON.get(word.slice(0, -1)) : undefined);
}

/**
 * Splits a German/Dutch compound ("rechnungsnummer" → invoice number, "factuurdatum" →
 * invoice date) into known canonical words; undefined when it is not one.
 */
export function splitCompound(word: string): string[] | undefined {
  for (let i = word.length - 3; i >= 3; i--) {
    const tail = CANON.get(word.slice(i));
    if (!tail) continue;
    const head = word.slice(0, i);
    for (const stem of [head, head.replace(/s$/u, ""), head.replace(/en$/u, ""), head.replace(/n$/u, ""), head.replace(/e$/u, "")]) {
      if (stem.length < 2) continue;
      const known = CANON.get(stem) ?? splitCompound(stem)?.join(" ");
      if (known) return [...known.split(" "), tail];
    }
  }
  return undefined;
}

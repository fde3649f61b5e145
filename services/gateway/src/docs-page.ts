/**
 * `GET /docs`: a self-contained page listing every operation of the OpenAPI document, with
 * a link to the machine-readable `/openapi.json`. No CDN script: Quire runs offline too.
 */
export function renderDocsPage(openapi: Record<string, unknown>): string {
  const info = openapi.info as { title: string; version: string; description?: string };
  const paths = openapi.paths as Record<string, Record<string, { summary?: string; responses?: Record<string, { description?: string }> }>>;
  const rows = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const statuses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${code}</code> ${escape(r.description ?? "")}</li>`)
        .join("");
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(op.summary ?? "")}<ul>${statuses}</ul></td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}td{vertical-align:top;padding:.4rem .6rem;border-top:1px solid #ddd}ul{margin:.2rem 0;padding-left:1.2rem;color:#555;font-size:13px}</style></head>
<body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description ?? "")}</p>
<p>Authenticate with <code>x-api-key: KEY</code> or <code>Authorization: Bearer KEY</code>. Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<table>${rows.join("")}</table></body></html>`;
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

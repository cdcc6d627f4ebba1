// Building the page: elements by id, rows and cards cloned from the page's <template>s and filled with
// textContent (never HTML made from data), and native modal dialogs.

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k === "className") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

export function show(id, visible) {
  $(id).hidden = !visible;
}

export function setText(id, text) {
  $(id).textContent = text;
}

// The first element of a <template> of the page, cloned; each [data-field] descendant named in texts gets its
// text.
export function fromTemplate(id, texts) {
  const node = $(id).content.firstElementChild.cloneNode(true);
  for (const [field, text] of Object.entries(texts || {})) {
    const target = part(node, field);
    if (target) target.textContent = text === null || text === undefined ? "" : String(text);
  }
  return node;
}

// The [data-field] element of that name inside a node cloned from a template.
export function part(node, field) {
  return node.matches('[data-field="' + field + '"]') ? node : node.querySelector('[data-field="' + field + '"]');
}

// ---- dialogs: native modal dialogs (focus stays inside, Escape closes), focus given back on close ------------

export function openDialog(id) {
  const d = $(id);
  d.returnFocusTo = document.activeElement;
  d.showModal();
}

export function closeDialog(id) {
  const d = $(id);
  if (d.open) d.close();
}

export function wireDialogs() {
  for (const d of document.querySelectorAll("dialog")) {
    d.addEventListener("close", () => {
      const back = d.returnFocusTo;
      d.returnFocusTo = null;
      if (back && document.contains(back) && typeof back.focus === "function") back.focus();
    });
    for (const b of d.querySelectorAll("[data-close]")) {
      b.addEventListener("click", () => d.close());
    }
  }
}

export function downloadIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M7 1h2v7.6l2.8-2.8 1.4 1.4L8 12.4 2.8 7.2l1.4-1.4L7 8.6V1zM2 13h12v2H2z");
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

// Small behaviours the pages share. Loaded as a file (strict CSP: no inline script).
"use strict";

// Announcements: one live region (#announcer in base.html) that no swap replaces, so
// screen readers hear every outcome. Emptied first, so the same words twice are heard twice.
function announce(message) {
  const region = document.getElementById("announcer");
  if (!region || !message) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 100);
}

// A fragment's answer asks for an announcement with `HX-Trigger: {"announce": {...}}`.
document.addEventListener("announce", (event) => announce(event.detail && event.detail.message));

// Copy buttons: <button class="copy" data-copy="text"><span class="copy-label">Copy</span>
// <span class="visually-hidden"> what</span></button>. Delegated, so buttons in fragments
// swapped in by htmx work too. After copying, the visible word and so the name say "Copied".
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy[data-copy]");
  if (!button) return;
  const text = button.dataset.copy;
  const label = button.querySelector(".copy-label") || button;
  const done = () => {
    label.textContent = "Copied";
    announce(button.textContent.trim() + ".");
    window.clearTimeout(button.copyTimer);
    button.copyTimer = window.setTimeout(() => { label.textContent = "Copy"; }, 4000);
  };
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = text;
    area.className = "visually-hidden";
    area.setAttribute("aria-hidden", "true");
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    button.focus(); // selecting the text took focus away from the button
    done();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});

// Error answers never replace the page. With DEBUG on, django-htmx's {% htmx_script %}
// adds a handler (on document, for htmx:beforeOnLoad) that swaps a 400/403/404/500 answer
// in as the whole document: a form's 400 with its error at the field would wipe the page.
// Stopped here, in the capture phase on window, before it reaches document; htmx itself
// goes on as base.html's responseHandling says (form errors swapped in, others not).
window.addEventListener("htmx:beforeOnLoad", (event) => event.stopPropagation(), { capture: true });

// What the page says when a request fails and nothing is swapped in: #request-error in
// base.html, cleared by the next request that succeeds.
function showRequestError(message) {
  const box = document.getElementById("request-error");
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
}
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const what = status === 404 ? "This page is no longer available to you, or what it shows was deleted."
    : status === 403 ? "Your role in this project does not allow that change."
    : `The console answered with an error (HTTP ${status}).`;
  showRequestError(`${what} Nothing on this page was changed; reload the page to see the current state.`);
});
document.addEventListener("htmx:sendError", () => {
  showRequestError("The console did not answer. This page keeps trying; what it shows may be out of date.");
});
document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) showRequestError("");
});

// Polls never undo what the person is doing. A polled section (it requests itself) is
// not swapped while one of its controls holds an unsaved change, nor while it shows the
// outcome of the person's own action: an error to fix or a question to answer.
const OUTCOME = "[data-outcome], [data-focus-on-swap], [aria-invalid=true]";

function changed(control) {
  if (control.type === "hidden" || control.disabled) return false;
  if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
  if (control.tagName === "SELECT") return Array.from(control.options).some((o) => o.selected !== o.defaultSelected);
  return control.value !== control.defaultValue;
}

function busy(section) {
  if (section.querySelector(OUTCOME)) return true;
  return Array.from(section.querySelectorAll("input, select, textarea")).some(changed);
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const section = event.detail.target;
  const config = event.detail.requestConfig;
  // A poll: the section asked for itself (beforeSwap fires on the target, so compare the
  // requesting element), not a control inside it (the route switch asks for its section).
  const isPoll = config && config.verb === "get" && config.elt === section;
  if (isPoll && section && busy(section)) event.detail.shouldSwap = false;
});

// Confirmation dialogs: <form data-confirm="question">.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Focus that survives swaps. htmx gives focus back to the element with the focused
// control's id once the new fragment is in; when that control is gone (a removed
// principal's button), focus goes to the nearest control after it, else before it, else
// to the swapped section, never to <body>.
const FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]";
// Fields in error, in document order: after a failed submit focus goes to the first.
const FIELD_IN_ERROR = ".has-error input:not([type=hidden]), .has-error select, .has-error textarea, [aria-invalid=true]";
// Per swapped section (by id), as two polls may be in flight at once.
const focusPlans = new Map();
const statesBefore = new Map();

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (!target || !target.id || !event.detail.shouldSwap) return;
  const states = {};
  for (const element of target.querySelectorAll("[data-announce][id]")) {
    states[element.id] = element.textContent.trim();
  }
  statesBefore.set(target.id, states);
  const active = document.activeElement;
  if (!active || active === document.body || !target.contains(active)) return;
  const controls = Array.from(target.querySelectorAll(FOCUSABLE)).filter((e) => e.id);
  const at = controls.indexOf(active);
  const after = at >= 0 ? controls.slice(at + 1) : [];
  const before = at >= 0 ? controls.slice(0, at).reverse() : [];
  focusPlans.set(target.id, [active.id, ...after.map((e) => e.id), ...before.map((e) => e.id)].filter(Boolean));
});

function focusLost() {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

function focusFirstError(root) {
  const field = root.querySelector(FIELD_IN_ERROR);
  if (!field) return false;
  field.focus();
  return true;
}

// Dispatched on the swapped-in section itself (outerHTML) or on the target (innerHTML).
document.addEventListener("htmx:afterSettle", (event) => {
  const section = event.target;
  if (!section || !section.id) return;
  announceStateChanges(section);
  const plan = focusPlans.get(section.id);
  focusPlans.delete(section.id);
  const config = event.detail.requestConfig;
  // A question the answer asks (data-focus-on-swap) is where the person must go next,
  // before any field in error.
  const question = section.querySelector("[data-focus-on-swap]");
  if (question) { question.focus(); return; }
  const submitted = config && config.elt && config.elt.tagName === "FORM" && config.verb === "post";
  if (submitted && focusFirstError(section)) return;
  if (!plan || !focusLost()) return;
  for (const id of plan) {
    const candidate = document.getElementById(id);
    if (candidate) { candidate.focus({ preventScroll: true }); return; }
  }
  section.setAttribute("tabindex", "-1");
  section.focus({ preventScroll: true });
});

// State changes in polled fragments: an element with an id and data-announce="what" is
// read out as "what: new text" when a swap changes its text.
function announceStateChanges(section) {
  const states = statesBefore.get(section.id) || {};
  statesBefore.delete(section.id);
  const changes = [];
  for (const [id, before] of Object.entries(states)) {
    const element = document.getElementById(id);
    const now = element && element.textContent.trim();
    if (now && now !== before) changes.push(`${element.dataset.announce}: ${now}`);
  }
  // A state that came with the swap (a new connection) is read out too.
  for (const element of section.querySelectorAll("[data-announce][id]")) {
    const now = element.textContent.trim();
    if (!(element.id in states) && now) changes.push(`${element.dataset.announce}: ${now}`);
  }
  if (changes.length) announce(changes.join(". ") + ".");
}

// A page answered with a question or with errors (a full-page submit: no script, or a
// form submitted before htmx took it over): focus the question, else the first field in
// error.
const pageQuestion = document.querySelector("[data-focus-on-swap]");
if (pageQuestion) pageQuestion.focus();
else if (!document.querySelector("[autofocus]")) focusFirstError(document);

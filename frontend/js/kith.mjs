// Kith's own JavaScript, loaded as <script type="module" src="/static/kith/kith.js">.
//
// - Initialises GOV.UK Frontend and MoJ Frontend components (also in content
//   that htmx swaps in).
// - Warns signed-in users before their session times out for inactivity.
//
// The page has a strict CSP (script-src 'self' + nonce; style-src 'self'):
// no inline scripts, no inline styles. All styling is in frontend/scss/kith.scss.
// The imports are relative URLs into build/static/ (see frontend/build.mjs).

import { initAll as initGovuk } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj/moj-frontend.min.js";

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

// A module script only runs in browsers GOV.UK Frontend supports. The page
// template normally adds this class already; adding it twice does nothing.
document.body.classList.add("govuk-frontend-supported");

function ignoreAlreadyInitialised(error) {
  if (error && error.name === "InitError") return; // already set up: fine
  console.log(error);
}

function initComponents(scope) {
  initGovuk({ scope, onError: ignoreAlreadyInitialised });
  initMoj({ scope, onError: ignoreAlreadyInitialised });
}

initComponents(document);

// htmx fires htmx:load for each element it swaps in. Search from the parent
// so a swapped-in element that is itself a component (data-module on it) is
// found too; components already set up are skipped.
document.addEventListener("htmx:load", (event) => {
  const element = event.target;
  if (!(element instanceof Element) || element === document.body) return;
  initComponents(element.parentElement || element);
});

// ---------------------------------------------------------------------------
// Idle-session warning
// ---------------------------------------------------------------------------
//
// <body data-idle-timeout="1800" data-idle-warning="120"
//       data-sign-out-url="/accounts/sign-out"
//       data-keep-alive-url="/accounts/session/keep-alive">
// (only when signed in). The server ends a session after data-idle-timeout
// seconds without a request; this mirrors that clock in the browser:
//
// - every server round trip (this page loading, any htmx request, "Stay
//   signed in") restarts it, in this tab and in other Kith tabs;
// - data-idle-warning seconds before the end, a modal dialog warns the user;
// - at the end, the browser goes to data-sign-out-url?reason=idle.

const SECOND = 1000;
const MINUTE = 60 * SECOND;

function readIdleSettings(body) {
  const { idleTimeout, idleWarning, signOutUrl, keepAliveUrl } = body.dataset;
  const timeout = Number.parseInt(idleTimeout, 10);
  const warning = Number.parseInt(idleWarning, 10);
  if (!signOutUrl || !keepAliveUrl || !(timeout > 0) || !(warning >= 0)) return null;
  return {
    timeoutMs: timeout * SECOND,
    warningMs: Math.min(warning, timeout) * SECOND,
    signOutUrl,
    keepAliveUrl,
  };
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

function plural(count, unit) {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

// Whole minutes, rounded up: never tell people they have longer than they do
// by more than the minute the screen-reader text is updated at.
function minutesText(remainingMs) {
  return plural(Math.max(1, Math.ceil(remainingMs / MINUTE)), "minute");
}

// The visible countdown: minutes, then seconds in the last minute.
function countdownText(remainingMs) {
  if (remainingMs >= MINUTE) return minutesText(remainingMs);
  return plural(Math.max(0, Math.ceil(remainingMs / SECOND)), "second");
}

function element(tag, attributes = {}, children = []) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  for (const child of children) el.append(child);
  return el;
}

function buildWarning(signOutUrl) {
  const countdown = element("strong", { class: "kith-idle-warning__countdown" });
  const visibleMessage = element("span", { "aria-hidden": "true" }, [
    "You will be signed out in ",
    countdown,
    " because you have not done anything for a while.",
  ]);
  // What screen readers hear: updated at most once a minute.
  const spokenMessage = element("span", {
    class: "govuk-visually-hidden",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const stayButton = element(
    "button",
    { type: "button", class: "govuk-button" },
    ["Stay signed in"],
  );
  const signOutLink = element("a", { class: "govuk-link", href: signOutUrl }, ["Sign out"]);
  const dialog = element(
    "dialog",
    {
      id: "idle-warning",
      class: "kith-idle-warning",
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": "idle-warning-heading",
      "aria-describedby": "idle-warning-message",
      tabindex: "-1",
    },
    [
      element("h2", { id: "idle-warning-heading", class: "govuk-heading-m kith-idle-warning__heading" }, [
        "You’re about to be signed out",
      ]),
      element("p", { id: "idle-warning-message", class: "govuk-body" }, [visibleMessage, spokenMessage]),
      element("p", { class: "govuk-body" }, [
        "If you are signed out, anything you have not saved will be lost.",
      ]),
      element("div", { class: "govuk-button-group" }, [stayButton, signOutLink]),
    ],
  );
  return { dialog, countdown, spokenMessage, stayButton };
}

function startIdleWarning(settings) {
  const { timeoutMs, warningMs, signOutUrl, keepAliveUrl } = settings;
  const warning = buildWarning(signOutUrl);
  const { dialog } = warning;
  document.body.append(dialog);

  const channel = "BroadcastChannel" in window ? new BroadcastChannel("kith-idle") : null;
  let lastActivity = Date.now();
  let timer = null;
  let shown = false;
  let spokenMinutes = null;
  let focusBefore = null;
  let signingOut = false;

  function signOut() {
    if (signingOut) return;
    signingOut = true;
    const url = new URL(signOutUrl, window.location.href);
    url.searchParams.set("reason", "idle");
    window.location.assign(url.href);
  }

  function show(remainingMs) {
    if (shown) return;
    shown = true;
    spokenMinutes = null;
    focusBefore = document.activeElement;
    updateCountdown(remainingMs);
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    dialog.focus();
  }

  function hide() {
    if (!shown) return;
    shown = false;
    if (typeof dialog.close === "function" && dialog.open) {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    if (focusBefore && typeof focusBefore.focus === "function" && document.contains(focusBefore)) {
      focusBefore.focus();
    }
    focusBefore = null;
  }

  function updateCountdown(remainingMs) {
    warning.countdown.textContent = countdownText(remainingMs);
    const minutes = Math.ceil(remainingMs / MINUTE);
    if (minutes !== spokenMinutes) {
      spokenMinutes = minutes;
      warning.spokenMessage.textContent =
        `You will be signed out in ${minutesText(remainingMs)} ` +
        "because you have not done anything for a while.";
    }
  }

  // Works from the clock, not from counting timer ticks, so it stays right
  // after the computer sleeps or the tab is throttled in the background.
  function check() {
    clearTimeout(timer);
    if (signingOut) return;
    const remainingMs = lastActivity + timeoutMs - Date.now();
    if (remainingMs <= 0) {
      signOut();
      return;
    }
    if (remainingMs <= warningMs) {
      show(remainingMs);
      updateCountdown(remainingMs);
      // Tick each second for the visible countdown, landing on whole seconds.
      timer = setTimeout(check, remainingMs % SECOND || SECOND);
    } else {
      hide();
      timer = setTimeout(check, remainingMs - warningMs);
    }
  }

  function restart(at = Date.now(), { broadcast = true } = {}) {
    if (at <= lastActivity) return;
    lastActivity = at;
    if (broadcast && channel) channel.postMessage({ lastActivity: at });
    check();
  }

  async function staySignedIn() {
    const before = lastActivity;
    // Hide the warning at once; tell other tabs only once the server has seen it.
    restart(Date.now(), { broadcast: false });
    const mine = lastActivity;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      // Redirected (to sign in) or 401: the server had already ended the session.
      if (response.redirected || response.status === 401) {
        signOut();
        return;
      }
      if (!response.ok) throw new Error(`Keep-alive failed: HTTP ${response.status}`);
      if (channel && lastActivity === mine) channel.postMessage({ lastActivity: mine });
    } catch (error) {
      console.log(error);
      // The server did not see it: go back to the old clock, which shows the
      // warning again (or signs out) so the user can try again.
      if (lastActivity === mine) {
        lastActivity = before;
        check();
      }
    }
  }

  warning.stayButton.addEventListener("click", staySignedIn);
  // Escape closes a modal <dialog>: treat it as "Stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });

  // Any htmx request that reached the server counts as activity.
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status !== 0) restart();
  });

  // Other Kith tabs share the same session, so share the clock.
  if (channel) {
    channel.addEventListener("message", (event) => {
      const at = event.data && event.data.lastActivity;
      if (typeof at === "number") restart(at, { broadcast: false });
    });
  }

  // Timers stall while a tab is hidden or the computer sleeps.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) check();
  });

  if (channel) channel.postMessage({ lastActivity });
  check();
}

const idleSettings = readIdleSettings(document.body);
if (idleSettings) startIdleWarning(idleSettings);

// ---------------------------------------------------------------------------
// Forms: questions shown only when another answer has a value
// ---------------------------------------------------------------------------
//
// <div data-show-if='{"question": "seen_alone", "equals": "no", "group": null, "row": null}'>
// The server decides what is asked (kith/eforms/answers.py); this only hides
// what is not asked yet, as the answers change.

function answerValues(form, name) {
  const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
  const values = [];
  for (const field of fields) {
    if (field.type === "radio" || field.type === "checkbox") {
      if (field.checked) values.push(field.value);
    } else if (field.value) {
      values.push(field.value);
    }
  }
  return values;
}

function conditionHolds(form, condition) {
  const name =
    condition.group !== null && condition.group !== undefined
      ? `q-${condition.group}-${condition.row}-${condition.question}`
      : `q-${condition.question}`;
  const values = answerValues(form, name).filter((v) => v.trim() !== "");
  if ("has_value" in condition) return (values.length > 0) === Boolean(condition.has_value);
  const wanted = "equals" in condition ? [condition.equals] : condition.any_of || [];
  const wantedText = wanted.map((w) => (w === true ? "yes" : w === false ? "no" : String(w)));
  return values.some((v) => wantedText.includes(v));
}

function updateConditionalQuestions(form) {
  for (const question of form.querySelectorAll("[data-show-if]")) {
    let condition;
    try {
      condition = JSON.parse(question.dataset.showIf);
    } catch {
      continue;
    }
    question.hidden = !conditionHolds(form, condition);
  }
}

for (const form of document.querySelectorAll("form#eform")) {
  form.addEventListener("change", () => updateConditionalQuestions(form));
  updateConditionalQuestions(form);
}

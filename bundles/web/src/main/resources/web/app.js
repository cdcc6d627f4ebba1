// The sign-in page and the audit log settings page: ES modules, loaded by this one (<script type="module">).
// Everything shown comes from the REST API under /api/v1.

import { settingsPage } from "./settings.js";
import { signInPage } from "./signin.js";

function failed(e) {
  const p = document.getElementById("sign-in-error") || document.getElementById("loading");
  if (p) {
    p.textContent = "The page could not load: " + e.message;
    p.hidden = false;
  }
}

// a module runs once the document is parsed
const page = document.body.dataset.page;
if (page === "sign-in") {
  signInPage().catch(failed);
} else if (page === "settings") {
  settingsPage().catch(failed);
}

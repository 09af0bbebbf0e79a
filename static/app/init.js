// Starts GOV.UK Frontend's components. A module file rather than an inline script, so the
// Content-Security-Policy needs no nonce for it; browsers without modules get the no-JS pages.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Small progressive enhancements. The pages work without JavaScript; htmx is loaded
// separately. No inline scripts anywhere: the Content-Security-Policy forbids them.
"use strict";

(function () {
  // After htmx swaps in a form with errors, move focus to its error summary so keyboard
  // and screen-reader users land on the explanation (the summary also has role="alert").
  document.addEventListener("htmx:afterSwap", function (event) {
    var summary = event.detail.target.querySelector(".wo-error-summary");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  });

  // An htmx request that fails shows a message instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var main = document.getElementById("main");
    if (!main || main.querySelector(".wo-request-error")) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "utrecht-alert utrecht-alert--error wo-request-error";
    alert.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.className = "utrecht-alert__message utrecht-paragraph";
    // The translated text comes from the page (templates/base.html, data-request-error).
    text.textContent = document.body.dataset.requestError;
    alert.appendChild(text);
    main.insertBefore(alert, main.firstChild);
  });
})();

// Notifications list: after htmx replaced a notification marked as read, its "mark as read"
// button is gone; move focus to the notification's link so keyboard users keep their place.
"use strict";

(function () {
  document.addEventListener("htmx:afterSettle", function () {
    var item = document.querySelector("[data-wo-focus]");
    if (!item) {
      return;
    }
    item.removeAttribute("data-wo-focus");
    var link = item.querySelector("a");
    if (link) {
      link.focus();
    }
  });
})();

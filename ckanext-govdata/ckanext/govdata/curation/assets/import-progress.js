/* A background import's progress (templates/curation/import_status.html), polled from its small
 * JSON status (/directory/import/<job>/status) every two seconds; when the import ends the page
 * reloads to show the report. Without JavaScript the page's <noscript> refresh does the same.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;

  function start(box) {
    var bar = box.querySelector("progress");
    var count = box.querySelector(".govdata-import-count");
    var phase = box.querySelector(".govdata-import-phase");

    function show(status) {
      if (status.state === "finished" || status.state === "failed") {
        window.location.reload();
        return;
      }
      bar.max = Math.max(status.total || 0, 1);
      bar.value = status.done || 0;
      bar.textContent = count.textContent = (status.done || 0) + " / " + (status.total || 0);
      phase.textContent = box.getAttribute("data-phase-" + status.phase) || status.phase;
      window.setTimeout(poll, INTERVAL_MS);
    }

    function poll() {
      fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(show)
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS * 2);
        });
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  function attach() {
    var box = document.getElementById("govdata-import-progress");
    if (box) {
      start(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attach);
  } else {
    attach();
  }
}());

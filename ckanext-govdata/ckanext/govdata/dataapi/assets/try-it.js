/* The try-it form of a data API's page: without JavaScript it is a plain GET form to the
   endpoint; with it, the JSON answer is shown under the form. */
(function () {
  "use strict";
  document.querySelectorAll("form.govdata-dataapi-try").forEach(function (form) {
    var output = form.parentNode.querySelector(".govdata-dataapi-output");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (String(value).trim() !== "") { params.append(name, value); }
      });
      var url = form.action + (params.toString() ? "?" + params.toString() : "");
      output.hidden = false;
      output.textContent = "GET " + url + " …";
      fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          return response.text().then(function (text) {
            var shown = text;
            try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (ignored) { /* CSV */ }
            output.textContent = "HTTP " + response.status + "\n" + shown;
          });
        })
        .catch(function (error) { output.textContent = String(error); });
    });
  });
})();

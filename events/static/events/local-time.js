// Shows each event time in the visitor's own time zone beside the event's; the page reads fine without it.
(function () {
  "use strict";
  var own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var lang = document.documentElement.lang || undefined;
  var dateTime = { dateStyle: "medium", timeStyle: "short" };
  var timeOnly = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  document.querySelectorAll(".visitor-time").forEach(function (el) {
    if (el.dataset.zone === own) { return; }
    var start = new Date(el.dataset.start), end = new Date(el.dataset.end);
    var startText = new Intl.DateTimeFormat(lang, dateTime).format(start);
    var sameDay = start.toDateString() === end.toDateString();
    var endText = sameDay ? new Intl.DateTimeFormat(lang, timeOnly).format(end)
      : new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric", hour: "2-digit",
        minute: "2-digit", timeZoneName: "short" }).format(end);
    el.textContent = el.dataset.label + " " + startText + "–" + endText + " (" + own + ")";
    el.hidden = false;
    var utc = el.parentNode.querySelector(".utc-time");
    if (utc) { utc.hidden = true; }
  });
})();

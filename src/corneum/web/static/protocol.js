/* Corneum protocol runner: ticks the countdown of each running timed stage.
   The server worked out the seconds left from the stage's start, kept in the database, and its
   own clock; this only counts them down from the moment the page loaded, by the browser's
   monotonic clock, so a wrong clock on the tablet changes nothing. Without JavaScript the page
   shows the time left as of its loading. */
(function () {
  "use strict";
  var loaded = performance.now();
  var timers = document.querySelectorAll(".timer[data-remaining-seconds]");
  if (!timers.length) { return; }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function face(seconds) { return two(Math.floor(seconds / 60)) + ":" + two(seconds % 60); }

  function reading(remaining, span) {
    if (remaining > 0) { return { state: "left", shown: remaining }; }
    if (-remaining < span) { return { state: "reached", shown: span + remaining }; }
    return { state: "over", shown: -remaining - span };
  }

  function tick() {
    var elapsed = Math.floor((performance.now() - loaded) / 1000);
    timers.forEach(function (timer) {
      var remaining = Number(timer.dataset.remainingSeconds) - elapsed;
      var now = reading(remaining, Number(timer.dataset.windowSeconds));
      timer.dataset.liveRemainingSeconds = String(remaining);
      timer.querySelector(".timer-clock").textContent = face(now.shown);
      if (timer.dataset.state !== now.state) {
        timer.classList.remove("timer-" + timer.dataset.state);
        timer.classList.add("timer-" + now.state);
        timer.dataset.state = now.state;
        var label = timer.dataset["label" + now.state.charAt(0).toUpperCase() + now.state.slice(1)];
        timer.querySelector(".timer-label").textContent = label;
        if (navigator.vibrate) { navigator.vibrate(300); }  /* felt as well as seen */
      }
    });
  }

  tick();
  setInterval(tick, 1000);
})();

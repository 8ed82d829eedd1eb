/* Corneum signature pad: the client draws with a finger, stylus or mouse (pointer events); the
   strokes go into the form as SVG path data ("M x y L x y ..."), in the canvas's own units, so
   the server keeps a drawing it can show at any size and nothing in it can run as script.
   Without JavaScript the pad stays hidden and the typed-name box is the way to sign. */
(function () {
  "use strict";
  var pad = document.getElementById("signature-pad");
  var field = document.getElementById("signature_svg");
  if (!pad || !field || !pad.getContext) { return; }
  var MAX_LENGTH = 190000;
  var ctx = pad.getContext("2d");
  var parts = [];
  var drawing = false;
  document.getElementById("signature-draw").hidden = false;
  ctx.lineWidth = 3;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";

  function clamp(value, most) { return Math.min(Math.max(value, 0), most); }
  function round(value) { return Math.round(value * 10) / 10; }

  function point(event) {
    var rect = pad.getBoundingClientRect();
    return [
      round(clamp((event.clientX - rect.left) * pad.width / rect.width, pad.width)),
      round(clamp((event.clientY - rect.top) * pad.height / rect.height, pad.height))
    ];
  }

  function add(command, xy) {
    if (field.value.length > MAX_LENGTH) { return; }
    parts.push(command + xy[0] + " " + xy[1]);
    if (command === "M") { ctx.beginPath(); ctx.moveTo(xy[0], xy[1]); ctx.lineTo(xy[0], xy[1]); }
    else { ctx.lineTo(xy[0], xy[1]); }
    ctx.stroke();
    field.value = parts.join(" ");
  }

  /* After a refused post the page comes back with the drawing in the field: show it again. */
  function redraw(source) {
    var found, pattern = /([ML])(\d+(?:\.\d)?) (\d+(?:\.\d)?)/g;
    while ((found = pattern.exec(source)) !== null) {
      add(found[1], [Number(found[2]), Number(found[3])]);
    }
  }

  pad.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    drawing = true;
    add("M", point(event));
  });
  pad.addEventListener("pointermove", function (event) {
    if (drawing) { add("L", point(event)); }
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    pad.addEventListener(name, function () { drawing = false; });
  });
  document.getElementById("signature-clear").addEventListener("click", function () {
    parts = [];
    field.value = "";
    ctx.clearRect(0, 0, pad.width, pad.height);
  });

  var kept = field.value;
  field.value = "";
  redraw(kept);
})();

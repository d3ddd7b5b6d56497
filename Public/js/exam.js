// Online theory exam: countdown, answers saved as the candidate goes, hand-in held until the minimum time
// and made automatically when the time is up. Without script the form still posts every answer on hand-in.
(function () {
  var box = document.getElementById("exam");
  var form = document.getElementById("exam-form");
  if (!box || !form) return;
  var earliest = Date.parse(box.dataset.earliest), deadline = Date.parse(box.dataset.deadline);
  var saveURL = box.dataset.save, csrf = box.dataset.csrf;
  var left = document.getElementById("time-left"), answered = document.getElementById("answered");
  var state = document.getElementById("save-state"), early = document.getElementById("too-early");
  var submit = document.getElementById("submit-exam");
  var pending = 0, submitting = false;

  function mmss(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }

  function tick() {
    var now = Date.now();
    left.textContent = mmss(deadline - now);
    var wait = earliest - now;
    submit.disabled = wait > 0;
    early.textContent = wait > 0 ? early.dataset.template.replace("{0}", mmss(wait)) : "";
    if (now >= deadline && !submitting) { submitting = true; whenSaved(function () { form.submit(); }); }
  }

  function whenSaved(fn) { if (pending === 0) fn(); else setTimeout(function () { whenSaved(fn); }, 100); }

  function count() {
    var n = 0;
    form.querySelectorAll("fieldset.question").forEach(function (f) { if (f.querySelector("input:checked")) n++; });
    answered.textContent = n;
  }

  function save(fieldset, attempt) {
    var answer = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; }).join("");
    var body = new URLSearchParams({ _csrf: csrf, itemId: fieldset.dataset.item, answer: answer });
    pending++;
    state.textContent = state.dataset.saving;
    fetch(saveURL, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        pending--;
        state.textContent = state.dataset.saved; state.classList.remove("error");
      })
      .catch(function () {
        pending--;
        state.textContent = state.dataset.offline; state.classList.add("error");
        // The hand-in posts every answer again, so a save lost here is not an answer lost.
        if (attempt < 5) setTimeout(function () { save(fieldset, attempt + 1); }, 1000 * (attempt + 1));
      });
  }

  form.addEventListener("change", function (e) {
    var f = e.target.closest("fieldset.question");
    if (f) { save(f, 0); count(); }
  });
  form.addEventListener("submit", function (e) {
    if (submitting) return;
    e.preventDefault(); submitting = true; submit.disabled = true;
    whenSaved(function () { form.submit(); });
  });
  tick();
  setInterval(tick, 1000);
})();

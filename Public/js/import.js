// Shows upload progress for large roster files, then the server's answer. Without JavaScript the form posts normally.
(function () {
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var bar = document.getElementById("import-progress");
  var status = document.getElementById("import-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.hidden = false;
      bar.value = Math.round((e.loaded / e.total) * 100);
      status.textContent = form.dataset.uploading.replace("{0}", bar.value);
    };
    xhr.upload.onload = function () { status.textContent = form.dataset.processing; };
    xhr.onload = function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () { status.textContent = form.dataset.failed; };
    form.querySelector("button[type=submit]").disabled = true;
    xhr.send(new FormData(form));
  });
})();

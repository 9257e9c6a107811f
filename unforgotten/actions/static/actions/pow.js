// Our own proof of work (ALTCHA-style; no third-party code). The server sent
// sha256(salt + n) for a secret n below maxnumber, with an HMAC of it; we find n
// and put the answer in the hidden "altcha" field. Without JavaScript (or
// without WebCrypto) the form is sent without it and still works: the e-mailed
// confirmation alone then decides.
(function () {
  "use strict";
  var form = document.getElementById("sign");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  // The page is the same for everyone (it is stored and served without the database), so the challenge,
  // which must differ per visitor, comes from a small separate answer of our own server.
  var challengeUrl = form.getAttribute("data-challenge-url");
  var field = form.querySelector('input[name="altcha"]');
  if (!field || !challengeUrl || !window.fetch) { return; }
  var challenge;
  var encoder = new TextEncoder();
  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }
  var done = false, waiting = false;
  function finish(number) {
    field.value = btoa(JSON.stringify({algorithm: challenge.algorithm, challenge: challenge.challenge,
      salt: challenge.salt, signature: challenge.signature, number: number}));
    done = true;
    if (waiting) { form.submit(); }
  }
  function search(start) {
    var batch = [];
    for (var n = start; n < start + 500 && n <= challenge.maxnumber; n++) {
      batch.push(window.crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
    }
    Promise.all(batch).then(function (digests) {
      for (var i = 0; i < digests.length; i++) {
        if (hex(digests[i]) === challenge.challenge) { finish(start + i); return; }
      }
      if (start + 500 <= challenge.maxnumber) { search(start + 500); } else if (waiting) { form.submit(); }
    });
  }
  // A person who presses "sign" before the search ends waits a moment for it (at most a few seconds).
  form.addEventListener("submit", function (event) {
    if (done) { return; }
    event.preventDefault();
    waiting = true;
    window.setTimeout(function () { if (!done) { done = true; form.submit(); } }, 8000);
  });
  window.fetch(challengeUrl, {credentials: "omit", cache: "no-store"}).then(function (response) {
    if (!response.ok) { throw new Error("no challenge"); }
    return response.json();
  }).then(function (data) {
    challenge = data;
    search(0);
  }).catch(function () {
    // No challenge, no proof: the form is sent without one, like without JavaScript.
    done = true;
    if (waiting) { form.submit(); }
  });
})();

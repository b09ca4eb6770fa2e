// The page of an export being written (templates/exports/job.html): moves the progress bar from the job's
// progress every two seconds, and reloads the page once the job is finished (to offer the file or the error).
(function () {
  "use strict";
  const bar = document.querySelector("[data-export-progress]");
  if (!bar) return;
  const inner = bar.querySelector(".progress-bar");
  const text = document.querySelector("[data-export-progress-text]");
  const show = (percent) => {
    bar.setAttribute("aria-valuenow", percent);
    inner.style.width = percent + "%";
    inner.textContent = percent + "%";
  };
  show(Number(inner.dataset.percent || 0));
  const poll = () =>
    // Background polling: it does not keep the reader signed in (accounts/sessions.py).
    fetch(bar.dataset.exportProgress, { credentials: "same-origin", headers: { Accept: "application/json", "X-Background-Poll": "1" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((job) => {
        if (job && job.finished) {
          window.location.reload();
          return;
        }
        if (job) {
          show(job.percent);
          if (text) text.textContent = job.text;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  window.setTimeout(poll, 2000);
})();

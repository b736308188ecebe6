// narrascope: the job page's script. It polls a running job's progress, counts the seconds it has
// taken, and reloads the page when the job ends, so the server shows the article or what went
// wrong. Without scripts the page reloads itself through <meta http-equiv="refresh">.
"use strict";

(function () {
  const panel = document.querySelector("[data-job]");  // only on the page of a job still running
  if (!panel) return;
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  const labels = { queued: "Waiting for a free worker…", running: "Reading and analysing…" };
  let elapsed = null;  // seconds, as the server last said, counted on here

  function duration(seconds) {
    const minutes = Math.floor(seconds / 60);
    return minutes ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
  }

  function tick() {
    const shown = field("elapsed");
    if (shown && elapsed !== null) {
      elapsed += 1;
      shown.textContent = duration(elapsed);
    }
  }

  function show(job) {
    field("status").textContent = labels[job.status] || job.status;
    if (job.elapsed !== null && job.elapsed !== undefined) elapsed = job.elapsed;
    const progress = field("progress");
    if (progress) {
      progress.max = job.total || 1;
      progress.value = job.total ? job.done : 0;
    }
    const count = field("count");
    if (count) count.textContent = `${job.done} of ${job.total === null ? "?" : job.total} documents`;
  }

  async function poll() {
    let job;
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(panel.dataset.job)}`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      job = await response.json();
    } catch (error) {
      setTimeout(poll, 2000);
      return;
    }
    if (job.status === "queued" || job.status === "running") {
      show(job);
      setTimeout(poll, 700);
    } else {
      window.location.reload();  // the server shows the result: the article, or what went wrong
    }
  }

  const shown = field("elapsed");
  if (shown) elapsed = Number(shown.dataset.seconds);
  setInterval(tick, 1000);
  poll();
})();

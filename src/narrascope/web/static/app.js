// narrascope: the only script. It polls a running job's progress and reloads the page when the
// job ends, so the server shows the article or what went wrong. Without scripts the page reloads
// itself through <meta http-equiv="refresh">.
"use strict";

(function () {
  const panel = document.querySelector("[data-job]");  // only on the page of a job still running
  if (!panel) return;
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  const labels = { queued: "Waiting for a free worker…", running: "Reading and analysing…" };

  function show(job) {
    field("status").textContent = labels[job.status] || job.status;
    const progress = field("progress");
    progress.max = job.total || 1;
    progress.value = job.total ? job.done : 0;
    field("count").textContent = `${job.done} of ${job.total === null ? "?" : job.total} documents`;
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

  poll();
})();

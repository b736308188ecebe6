// narrascope: the only script. It polls a running job's progress (the page also reloads itself
// via <meta http-equiv="refresh"> when scripts are off) and opens the result when it is ready.
"use strict";

(function () {
  const panel = document.querySelector("[data-job]");
  if (!panel) return;
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  const labels = { queued: "Waiting for a free worker…", running: "Reading and analysing…", done: "Done.", failed: "Failed." };

  function show(job) {
    const status = field("status");
    status.textContent = labels[job.status] || job.status;
    status.className = `status status-${job.status}`;
    const progress = field("progress");
    progress.max = job.total || 1;
    progress.value = job.total ? job.done : 0;
    field("count").textContent = `${job.done} of ${job.total === null ? "?" : job.total} documents`;
    const list = field("documents");
    list.replaceChildren(...job.document_ids.map((id) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/documents/${encodeURIComponent(id)}`;
      link.textContent = id;
      item.append(link);
      return item;
    }));
    if (job.error) {
      let error = field("error");
      if (!error) {
        error = document.createElement("p");
        error.className = "notice error";
        error.setAttribute("role", "alert");
        error.dataset.field = "error";
        progress.after(error);
      }
      error.textContent = job.error;
    }
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
    show(job);
    if (job.status === "done" && job.document_ids.length === 1 && job.failures.length === 0) {
      window.location.assign(`/documents/${encodeURIComponent(job.document_ids[0])}`);
    } else if (job.status === "queued" || job.status === "running") {
      setTimeout(poll, 700);
    }
  }

  poll();
})();

// narrascope article page: show or hide each technique's highlights and set a confidence floor.
// Every highlight carries its techniques in data-techniques ("label score family;..."); a piece of
// text keeps its tint while one of its techniques is shown and at or above the floor, coloured by
// the strongest such technique. Without scripts the controls stay hidden and every highlight shows.
"use strict";

(function () {
  const controls = document.getElementById("highlight-controls");
  const marks = Array.from(document.querySelectorAll("mark[data-techniques]"));
  if (!controls || marks.length === 0) return;
  const slider = document.getElementById("min-confidence");
  const sliderValue = document.getElementById("min-confidence-value");
  const count = document.getElementById("highlight-count");
  const toggles = Array.from(document.querySelectorAll("input.technique-toggle"));
  const steps = [0.75, 0.5, 0.25, 0];  // confidence steps, as the server grades them (conf-4 ... conf-1)

  const parsed = new Map(marks.map((mark) => [mark, mark.dataset.techniques.split(";").map((entry) => {
    const [label, score, family] = entry.split(" ");
    return { label, score: Number(score), family };
  })]));

  function restyle(mark, shown) {
    const kept = Array.from(mark.classList).filter((name) => !/^(fam|also|conf)-/.test(name) && name !== "hl-off");
    mark.className = kept.join(" ");
    if (shown.length === 0) {
      mark.classList.add("hl-off");
      return;
    }
    const families = [...new Set(shown.map((t) => t.family))];
    mark.classList.add(`fam-${families[0]}`, `conf-${4 - steps.findIndex((floor) => shown[0].score >= floor)}`);
    if (families.length > 1) mark.classList.add(`also-${families[1]}`);
  }

  function update() {
    const floor = Number(slider.value) / 100;
    const hidden = new Set(toggles.filter((box) => !box.checked).map((box) => box.value));
    let visible = 0;
    for (const [mark, techniques] of parsed) {
      const shown = techniques.filter((t) => !hidden.has(t.label) && t.score >= floor);  // strongest first
      restyle(mark, shown);
      if (shown.length) visible += 1;
    }
    sliderValue.textContent = `${slider.value}%`;
    count.textContent = `Showing ${visible} of ${marks.length} highlighted passages.`;
    for (const box of toggles) box.closest("li").classList.toggle("toggled-off", !box.checked);
  }

  controls.hidden = false;
  for (const box of toggles) {
    box.hidden = false;
    box.addEventListener("change", update);
  }
  slider.addEventListener("input", update);
  update();
})();

// The workbook's quiz cards, made interactive.
//
// Each card (rendered by the runner's preprocessor) says what it is in data
// attributes: data-card (its id), data-kind (short, choice or tracing) and
// data-accepted (the accepted answers, JSON). The answer is a <details>
// that this script hides until the reader answers or gives up; then four
// grade buttons record the review:
// - in the book that `cargo workbook` serves, by a POST to /api/reviews,
//   which appends a line to journal/reviews.log (the same log the terminal
//   quiz writes, so the schedule sees both);
// - on the published static site, which cannot write your files, in this
//   browser's localStorage.
// No framework and no build step: the book must work with nothing but cargo.
(function () {
  "use strict";

  function normalize(text) {
    return text
      .toLowerCase()
      .replace(/[`"']/g, "")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ")
      .replace(/[.!;]+$/, "");
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function button(label, className) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.className = className;
    return b;
  }

  function saveLocally(card, grade) {
    const key = "workbook-reviews";
    const saved = JSON.parse(localStorage.getItem(key) || "[]");
    saved.push({ date: today(), card: card, grade: grade });
    localStorage.setItem(key, JSON.stringify(saved));
  }

  async function record(card, grade) {
    try {
      const response = await fetch("/api/reviews", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ card: card, grade: grade }),
      });
      if (response.ok) {
        return "Saved to journal/reviews.log.";
      }
    } catch (error) {
      // Not served by `cargo workbook`: fall through to the browser.
    }
    saveLocally(card, grade);
    return "Saved in this browser (this copy of the book cannot write your review log).";
  }

  function setUp(root) {
    const id = root.dataset.card;
    const kind = root.dataset.kind;
    const accepted = JSON.parse(root.dataset.accepted || "[]").map(normalize);
    const answer = root.querySelector("details.card-answer");
    const controls = root.querySelector(".card-controls");
    const gradeBox = root.querySelector(".card-grade");
    if (!answer || !controls || !gradeBox) {
      return;
    }
    answer.hidden = true;
    const feedback = document.createElement("p");
    feedback.className = "card-feedback";

    function reveal(verdict) {
      if (!answer.hidden) {
        return;
      }
      feedback.textContent = verdict;
      controls.appendChild(feedback);
      answer.hidden = false;
      answer.open = true;
      controls.querySelectorAll("input, button").forEach(function (e) {
        e.disabled = true;
      });
      showGrades();
    }

    function showGrades() {
      const label = document.createElement("span");
      label.textContent = "How well did you know it? ";
      gradeBox.appendChild(label);
      ["again", "hard", "good", "easy"].forEach(function (grade) {
        const b = button(grade[0].toUpperCase() + grade.slice(1), "card-grade-" + grade);
        b.addEventListener("click", async function () {
          gradeBox.querySelectorAll("button").forEach(function (e) {
            e.disabled = true;
          });
          const status = document.createElement("span");
          status.className = "card-saved";
          status.textContent = " " + (await record(id, grade));
          gradeBox.appendChild(status);
          root.dispatchEvent(new CustomEvent("workbook-graded", { bubbles: true, detail: status.textContent }));
        });
        gradeBox.appendChild(b);
      });
    }

    if (kind === "short") {
      const input = document.createElement("input");
      input.type = "text";
      input.className = "card-input";
      input.placeholder = "Your answer";
      const check = button("Check", "card-check");
      const check_ = function () {
        const given = normalize(input.value);
        reveal(accepted.indexOf(given) >= 0 ? "✓ That matches." : "✗ Not quite: compare with the answer.");
      };
      check.addEventListener("click", check_);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          check_();
        }
      });
      controls.append(input, check);
    } else if (kind === "choice") {
      const list = controls.previousElementSibling;
      if (list && list.tagName === "UL") {
        list.classList.add("card-options");
        list.querySelectorAll("li").forEach(function (item) {
          item.tabIndex = 0;
          item.addEventListener("click", function () {
            if (!answer.hidden) {
              return;
            }
            const right = accepted.indexOf(normalize(item.textContent)) >= 0;
            item.classList.add(right ? "card-right" : "card-wrong");
            reveal(right ? "✓ Right." : "✗ Not this one: see the answer.");
          });
        });
      }
    } else {
      const think = document.createElement("span");
      think.textContent = "Decide: does it compile, and what does it print? ";
      const show = button("Show the answer", "card-show");
      show.addEventListener("click", function () {
        reveal("");
      });
      controls.append(think, show);
    }
    const giveUp = button("Give up", "card-give-up");
    giveUp.addEventListener("click", function () {
      reveal("The answer:");
    });
    if (kind !== "tracing") {
      controls.appendChild(giveUp);
    }
  }

  // A self-test for the workbook's browser test: open a lesson with
  // ?workbook-selftest and the first card is answered and graded "good";
  // the outcome lands in document.title, which headless Chromium prints.
  function selfTest() {
    const card = document.querySelector(".workbook-card");
    if (!card) {
      document.title = "selftest: no card";
      return;
    }
    // Bring the card to the top of the page, so a screenshot shows it
    // (headless screenshots come out blank after a scroll).
    const main = document.querySelector("main");
    if (main) {
      main.prepend(card);
    }
    card.addEventListener("workbook-graded", function (event) {
      document.title = "selftest: " + event.detail.trim();
    });
    const giveUp = card.querySelector(".card-give-up, .card-show");
    giveUp.click();
    card.querySelector(".card-grade-good").click();
  }

  document.querySelectorAll(".workbook-card").forEach(setUp);
  if (new URLSearchParams(window.location.search).has("workbook-selftest")) {
    selfTest();
  }
})();

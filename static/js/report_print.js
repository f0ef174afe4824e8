// The print view's "print" button; a file rather than an inline handler so the
// Content-Security-Policy can forbid inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});

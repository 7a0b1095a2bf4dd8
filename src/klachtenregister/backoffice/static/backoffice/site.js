// The back office's script: a file, not inline handlers, so the Content-Security-Policy can
// forbid inline script. A button with data-print prints the page.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

/* Sharing without third parties: copies the page's address to the clipboard. */
ckan.module("zz-copy-link", function ($) {
  return {
    initialize: function () {
      var el = this.el, done = this.options.done;
      el.on("click", function () {
        var url = window.location.href;
        var copied = function () { el.find(".text").text(done); };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(url).then(copied);
        } else {
          window.prompt("", url);
        }
      });
    }
  };
});

/* Sharing without third parties: copies the shared address (the field the button names) to
   the clipboard; without the clipboard the field's text is selected for copying by hand. */
ckan.module("zz-copy-link", function ($) {
  return {
    initialize: function () {
      var el = this.el, done = this.options.done, field = $(this.options.target);
      el.on("click", function () {
        var url = field.val() || window.location.href;
        var copied = function () { el.find(".text").text(done); };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(url).then(copied);
        } else {
          field.trigger("focus").trigger("select");
        }
      });
    }
  };
});

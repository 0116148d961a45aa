/* Select2 (CKAN's tag and autocomplete fields) writes its own messages and its buttons'
   labels in English; base.html gives them in the page's language. */
(function ($) {
  var data = document.getElementById("zz-select2-language");
  if (!$.fn.select2 || !data) {
    return;
  }
  var labels = JSON.parse(data.textContent), language = {};
  Object.keys(labels).forEach(function (key) {
    language[key] = function () { return labels[key]; };
  });
  $.fn.select2.defaults.set("language", language);
})(jQuery);

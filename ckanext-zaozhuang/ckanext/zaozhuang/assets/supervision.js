/* The supervision dashboard's chart: the rates of each department as bars, drawn by ECharts
 * from the figures the page also shows as a table (the page reads the same without script). */
this.ckan.module('zz-supervision-chart', function ($) {
  return {
    initialize: function () {
      var figures = JSON.parse($('#' + this.options.source).text());
      var series = this.options.series.split(',').map(function (key, i) {
        return {
          name: this.options.labels.split('|')[i], type: 'bar',
          data: figures.map(function (row) {
            return row[key] === null ? 0 : Math.round(row[key] * 1000) / 10;
          })
        };
      }, this);
      var chart = echarts.init(this.el[0], null, {renderer: 'svg'});
      chart.setOption({
        aria: {enabled: true},
        tooltip: {trigger: 'axis', valueFormatter: function (v) { return v + '%'; }},
        legend: {top: 0},
        grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
        xAxis: {type: 'value', max: 100, axisLabel: {formatter: '{value}%'}},
        yAxis: {type: 'category', inverse: true,
                data: figures.map(function (row) { return row.title; })},
        series: series
      });
      $(window).on('resize', function () { chart.resize(); });
    }
  };
});

/* The month-by-month figures as lines, from the counts the page also shows as a table. */
this.ckan.module('zz-supervision-trend', function ($) {
  return {
    initialize: function () {
      var trends = JSON.parse($('#' + this.options.source).text());
      var labels = this.options.labels.split('|');
      var series = this.options.series.split(',').map(function (key, i) {
        return {name: labels[i], type: 'line', data: trends.series[key]};
      });
      var chart = echarts.init(this.el[0], null, {renderer: 'svg'});
      chart.setOption({
        aria: {enabled: true},
        tooltip: {trigger: 'axis'},
        legend: {top: 0},
        grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
        xAxis: {type: 'category', data: trends.months},
        yAxis: {type: 'value', minInterval: 1},
        series: series
      });
      $(window).on('resize', function () { chart.resize(); });
    }
  };
});

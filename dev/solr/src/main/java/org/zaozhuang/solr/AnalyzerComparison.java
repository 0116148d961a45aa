package org.zaozhuang.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilterFactory;
import org.apache.lucene.analysis.cjk.CJKWidthFilterFactory;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.core.LowerCaseFilterFactory;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizerFactory;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Compares a CJK bigram chain with Lucene's SmartChineseAnalyzer on a small, hand judged set
 * of Zaozhuang dataset titles. SmartCN alone misses words inside longer dictionary words,
 * which is why the configset's text_zh_words indexes bigrams beside SmartCN's words.
 *
 * <p>A document is relevant to a query when the query text occurs in it as a word (substring
 * containment, minus the listed cases where the substring only arises across a word boundary,
 * e.g. 市场 inside 城市场景). Two matching rules are scored for each analyzer: "all tokens"
 * (every query token appears somewhere in the document) and "phrase" (the query tokens appear
 * at the same relative positions, which is what autoGeneratePhraseQueries asks Solr to do).
 *
 * <p>Run: {@code java -cp target/classes:$(cat target/classpath.txt)
 * org.zaozhuang.solr.AnalyzerComparison}
 */
public final class AnalyzerComparison {

  private AnalyzerComparison() {}

  static final String[] DOCS = {
    "枣庄市公交线路信息", // 0
    "枣庄市公共自行车站点分布", // 1
    "滕州市空气质量监测数据", // 2
    "薛城区医疗机构名录", // 3
    "枣庄市企业信用信息公示", // 4
    "台儿庄区不动产登记统计", // 5
    "市中区社保参保人数统计", // 6
    "枣庄市社会保险基金收支情况", // 7
    "山亭区农村公路建设项目", // 8
    "峄城区中小学校名录", // 9
    "枣庄市公交车实时到站数据", // 10
    "滕州市公共交通客运量统计", // 11
    "枣庄市重点排污单位名录", // 12
    "枣庄市环境空气质量日报", // 13
    "枣庄市市场主体登记信息", // 14
    "薛城区智慧城市场景应用清单", // 15
    "枣庄市药品零售企业信用等级", // 16
    "枣庄市医疗保障定点医药机构", // 17
    "滕州市不动产抵押登记信息", // 18
    "枣庄市失业保险待遇发放", // 19
    "枣庄市二手房交易价格指数", // 20
    "市中区公共厕所分布", // 21
    "枣庄市交通违法处罚信息", // 22
    "枣庄市公共信用信息目录", // 23
    "山亭区旅游景区名录", // 24
    "枣庄市养老机构名录", // 25
    "台儿庄区河长制河湖名录", // 26
    "枣庄市国有土地使用权出让", // 27
    "枣庄市住房公积金缴存统计", // 28
    "薛城区学校周边交通安全设施", // 29
    "枣庄市长途客运班线信息", // 30
    "滕州市市场监督管理行政处罚", // 31
    "枣庄市场馆设施开放名录", // 32
    "山亭区农村客运公交化改造", // 33
    "营运车辆企业自行申报行车记录", // 34: has 自行 and 行车 but not 自行车
  };

  /** Query and the relevant docs, judged by hand. */
  static final Object[][] QUERIES = {
    {"公交", new int[] {0, 10, 33}},
    {"公共", new int[] {1, 11, 21, 23}},
    {"空气质量", new int[] {2, 13}},
    {"医疗机构", new int[] {3}},
    {"企业信用", new int[] {4, 16}},
    {"信用", new int[] {4, 16, 23}},
    {"滕州市", new int[] {2, 11, 18, 31}},
    {"薛城区", new int[] {3, 15, 29}},
    {"山亭区", new int[] {8, 24, 33}},
    {"峄城区", new int[] {9}},
    {"台儿庄区", new int[] {5, 26}},
    {"社保", new int[] {6}},
    {"社会保险", new int[] {7}},
    {"不动产", new int[] {5, 18}},
    // 15 (城市场景) and 32 (枣庄市 + 场馆) contain 市场 only across a word boundary
    {"市场", new int[] {14, 31}},
    {"登记", new int[] {5, 14, 18}},
    {"公交车", new int[] {10}},
    {"自行车", new int[] {1}},
    {"机构", new int[] {3, 17, 25}},
    {"交通", new int[] {11, 22, 29}},
    {"处罚", new int[] {22, 31}},
    {"学校", new int[] {9, 29}},
    {"客运", new int[] {11, 30, 33}},
    {"住房公积金", new int[] {28}},
    {"保险", new int[] {7, 19}},
    {"场馆", new int[] {32}},
  };

  /** A token stream flattened to (term, position) pairs. */
  record Tok(String term, int pos) {}

  static List<Tok> analyze(Analyzer a, String text) throws IOException {
    List<Tok> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream("f", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        out.add(new Tok(term.toString(), pos));
      }
      ts.end();
    }
    return out;
  }

  static boolean allTokens(List<Tok> query, List<Tok> doc) {
    if (query.isEmpty()) {
      return false;
    }
    Set<String> terms = new HashSet<>();
    doc.forEach(t -> terms.add(t.term()));
    return query.stream().allMatch(t -> terms.contains(t.term()));
  }

  static boolean phrase(List<Tok> query, List<Tok> doc) {
    if (query.isEmpty()) {
      return false;
    }
    Map<String, Set<Integer>> positions = new HashMap<>();
    for (Tok t : doc) {
      positions.computeIfAbsent(t.term(), k -> new HashSet<>()).add(t.pos());
    }
    int first = query.get(0).pos();
    for (int start : positions.getOrDefault(query.get(0).term(), Set.of())) {
      boolean ok = true;
      for (Tok q : query) {
        Set<Integer> p = positions.get(q.term());
        if (p == null || !p.contains(start + q.pos() - first)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  interface Matcher {
    boolean matches(List<Tok> query, List<Tok> doc);
  }

  record Result(
      String name,
      double precision,
      double recall,
      int perfect,
      List<String> misses,
      Set<Integer> wrongDocs) {}

  static Result score(String name, Analyzer index, Analyzer query, Matcher m) throws IOException {
    List<List<Tok>> docs = new ArrayList<>();
    for (String d : DOCS) {
      docs.add(analyze(index, d));
    }
    int tp = 0;
    int retrieved = 0;
    int relevant = 0;
    int perfect = 0;
    List<String> misses = new ArrayList<>();
    Set<Integer> wrongDocs = new TreeSet<>();
    for (Object[] row : QUERIES) {
      String q = (String) row[0];
      Set<Integer> want = new TreeSet<>();
      for (int i : (int[]) row[1]) {
        want.add(i);
      }
      List<Tok> qt = analyze(query, q);
      Set<Integer> got = new TreeSet<>();
      for (int i = 0; i < docs.size(); i++) {
        if (m.matches(qt, docs.get(i))) {
          got.add(i);
        }
      }
      Set<Integer> hit = new TreeSet<>(got);
      hit.retainAll(want);
      tp += hit.size();
      retrieved += got.size();
      relevant += want.size();
      if (got.equals(want)) {
        perfect++;
      } else {
        Set<Integer> fp = new TreeSet<>(got);
        fp.removeAll(want);
        Set<Integer> fn = new TreeSet<>(want);
        fn.removeAll(got);
        misses.add(q + " " + terms(qt) + ": extra " + fp + " missed " + fn);
        wrongDocs.addAll(fp);
        wrongDocs.addAll(fn);
      }
    }
    double p = retrieved == 0 ? 0 : (double) tp / retrieved;
    double r = relevant == 0 ? 0 : (double) tp / relevant;
    return new Result(name, p, r, perfect, misses, wrongDocs);
  }

  static String terms(List<Tok> toks) {
    StringBuilder sb = new StringBuilder("[");
    for (Tok t : toks) {
      sb.append(sb.length() > 1 ? " " : "").append(t.term());
    }
    return sb.append(']').toString();
  }

  static Analyzer cjkChain(boolean unigrams) throws IOException {
    return CustomAnalyzer.builder()
        .withTokenizer(StandardTokenizerFactory.class)
        .addTokenFilter(CJKWidthFilterFactory.class)
        .addTokenFilter(LowerCaseFilterFactory.class)
        .addTokenFilter(CJKBigramFilterFactory.class, "outputUnigrams", Boolean.toString(unigrams))
        .build();
  }

  public static void main(String[] args) throws IOException {
    // Judgement sanity check: show where relevance departs from raw substring containment.
    for (Object[] row : QUERIES) {
      String q = (String) row[0];
      Set<Integer> want = new TreeSet<>();
      for (int i : (int[]) row[1]) {
        want.add(i);
        if (!DOCS[i].contains(q)) {
          throw new IllegalStateException(q + " judged relevant to doc " + i + " but absent");
        }
      }
      for (int i = 0; i < DOCS.length; i++) {
        if (DOCS[i].contains(q) && !want.contains(i)) {
          System.out.println("judged not relevant despite substring: " + q + " in " + DOCS[i]);
        }
      }
    }

    try (Analyzer cjkIndex = cjkChain(true);
        Analyzer cjkQuery = cjkChain(false);
        Analyzer smart = new SmartChineseAnalyzer()) {
      List<Result> results =
          List.of(
              score("CJK bigram, all tokens", cjkIndex, cjkQuery, AnalyzerComparison::allTokens),
              score("CJK bigram, phrase", cjkIndex, cjkQuery, AnalyzerComparison::phrase),
              score("smartcn, all tokens", smart, smart, AnalyzerComparison::allTokens),
              score("smartcn, phrase", smart, smart, AnalyzerComparison::phrase));

      System.out.printf(
          "%n%d docs, %d queries%n%-24s %9s %7s %13s%n",
          DOCS.length, QUERIES.length, "analyzer / match", "precision", "recall", "exact queries");
      for (Result r : results) {
        System.out.printf(
            "%-24s %9.3f %7.3f %8d/%d%n",
            r.name(), r.precision(), r.recall(), r.perfect(), QUERIES.length);
      }
      for (Result r : results) {
        System.out.println();
        System.out.println(r.name() + " — imperfect queries:");
        r.misses().forEach(m -> System.out.println("  " + m));
      }
      System.out.println();
      System.out.println("smartcn segmentation of the docs that smartcn missed or mis-hit:");
      Set<Integer> shown = new TreeSet<>();
      for (Result r : results.subList(2, 4)) {
        shown.addAll(r.wrongDocs());
      }
      for (int i : shown) {
        System.out.println("  " + i + " " + DOCS[i] + " -> " + terms(analyze(smart, DOCS[i])));
      }
    }
  }
}

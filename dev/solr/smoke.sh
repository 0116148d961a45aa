#!/usr/bin/env bash
# Smoke test for the CKAN core's Chinese search against a running Solr.
#   usage: dev/solr/smoke.sh http://127.0.0.1:8983/solr/ckan
# Indexes a few fixture datasets (site_id zz-smoke, so other data in the core
# is left alone and ignored), queries them the way the portal does, removes
# them again (KEEP=1 keeps them), and exits non-zero if any check fails.
set -euo pipefail

BASE="${1:?usage: $0 <solr core url, e.g. http://127.0.0.1:8983/solr/ckan>}"
BASE="${BASE%/}"
SITE=zz-smoke

# What the portal sends. sow=true is required: with Solr's default sow=false,
# edismax ignores autoGeneratePhraseQueries (see the sow=false section below).
QF='title_zh^8 name^4 title^4 tags^2 groups^2 text_zh text'
MM='2<-1 5<80%'

pass=0
fail=0

post() {
  curl -sS -f -H 'Content-Type: application/json' --data-binary "$1" \
    "$BASE/update?commit=true" >/dev/null
}

# Prints the ids of matching fixture docs, best first, space separated.
search() {
  local q="$1" sow="$2" deftype="${3:-edismax}"
  curl -sS -f -G "$BASE/select" \
    --data-urlencode "q=$q" \
    --data-urlencode "defType=$deftype" \
    --data-urlencode "qf=$QF" \
    --data-urlencode "mm=$MM" \
    --data-urlencode "q.op=AND" \
    --data-urlencode "tie=0.1" \
    --data-urlencode "sow=$sow" \
    --data-urlencode "fq=+site_id:$SITE +entity_type:package" \
    --data-urlencode "fl=id" \
    --data-urlencode "rows=50" \
    --data-urlencode "wt=csv" \
    --data-urlencode "csv.header=false" | tr -d '\r' | paste -sd' ' -
}

# expect <sow> <query> <ids in expected rank order, space separated> [defType]
# The result set must equal the expected ids and come back in that order.
expect() {
  local sow="$1" q="$2" want="$3" deftype="${4:-edismax}" got
  got="$(search "$q" "$sow" "$deftype")"
  if [[ "$got" == "$want" ]]; then
    pass=$((pass + 1))
    printf 'PASS  %s sow=%-5s q=[%s] -> %s\n' "$deftype" "$sow" "$q" "${got:-(none)}"
  else
    fail=$((fail + 1))
    printf 'FAIL  %s sow=%-5s q=[%s] -> %s   (expected: %s)\n' "$deftype" "$sow" "$q" "${got:-(none)}" "${want:-(none)}"
  fi
}

# Same, but only the set matters (order is score ties or irrelevant).
expect_set() {
  local sow="$1" q="$2" want="$3" got sorted_got sorted_want
  got="$(search "$q" "$sow")"
  sorted_got="$(tr ' ' '\n' <<<"$got" | sort | paste -sd' ' -)"
  sorted_want="$(tr ' ' '\n' <<<"$want" | sort | paste -sd' ' -)"
  if [[ "$sorted_got" == "$sorted_want" ]]; then
    pass=$((pass + 1))
    printf 'PASS  edismax sow=%-5s q=[%s] -> %s\n' "$sow" "$q" "${got:-(none)}"
  else
    fail=$((fail + 1))
    printf 'FAIL  edismax sow=%-5s q=[%s] -> %s   (expected set: %s)\n' "$sow" "$q" "${got:-(none)}" "$want"
  fi
}

cleanup() {
  post "{\"delete\":{\"query\":\"site_id:$SITE\"}}" || true
}

if ! curl -sS -f "$BASE/admin/ping?wt=json" >/dev/null; then
  echo "FAIL  Solr core not reachable at $BASE" >&2
  exit 2
fi

cleanup
[[ "${KEEP:-0}" == 1 ]] || trap cleanup EXIT

# Fixture datasets shaped like CKAN's index documents (ckan/lib/search/index.py).
# Slugs are pinyin so that English queries cannot hit them through "text".
post "$(cat <<EOF
[
 {"index_id":"$SITE-bus","id":"zz-bus","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"zzs-gongjiao-xianlu",
  "title":"枣庄市公交线路信息","notes":"全市线路走向、站点与首末班时间。",
  "organization":"zzs-jiaotong","tags":["交通出行"],"res_format":["CSV"],
  "res_name":["线路表"],"res_url":["http://data.zaozhuang.gov.cn/dl/xianlu.csv"],
  "metadata_created":"2024-03-01T08:00:00Z","metadata_modified":"2024-06-01T08:00:00Z"},
 {"index_id":"$SITE-bike","id":"zz-bike","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"zzs-ggzxc-zhandian",
  "title":"枣庄市公共自行车站点","notes":"站点位置与可借车辆数。",
  "metadata_created":"2024-03-02T08:00:00Z","metadata_modified":"2024-06-02T08:00:00Z"},
 {"index_id":"$SITE-air","id":"zz-air","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"tzs-kongqi-jiance",
  "title":"滕州市空气质量监测","notes":"各监测点位小时浓度数据。",
  "metadata_created":"2024-03-03T08:00:00Z","metadata_modified":"2024-06-03T08:00:00Z"},
 {"index_id":"$SITE-en","id":"zz-en","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"zz-en-1",
  "title":"Bus stops of Zaozhuang","notes":"Locations of all stops served by city routes.",
  "metadata_created":"2024-03-04T08:00:00Z","metadata_modified":"2024-06-04T08:00:00Z"},
 {"index_id":"$SITE-notes","id":"zz-busnotes","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"dlys-qiye-minglu",
  "title":"道路运输企业名录","notes":"包含公交企业、出租汽车企业及其经营线路。",
  "metadata_created":"2024-03-05T08:00:00Z","metadata_modified":"2024-06-05T08:00:00Z"},
 {"index_id":"$SITE-url","id":"zz-url","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"xcq-budongchan",
  "title":"薛城区不动产登记信息","notes":"登记数量按月统计。",
  "url":"http://data.zaozhuang.gov.cn/公交/",
  "res_url":["http://data.zaozhuang.gov.cn/files/公交/线路.csv",
             "http://data.zaozhuang.gov.cn/files/%E5%85%AC%E4%BA%A4.csv"],
  "metadata_created":"2024-03-06T08:00:00Z","metadata_modified":"2024-06-06T08:00:00Z"},
 {"index_id":"$SITE-trap","id":"zz-trap","site_id":"$SITE","entity_type":"package",
  "dataset_type":"dataset","state":"active","capacity":"public","name":"yyclxx",
  "title":"营运车辆企业自行申报行车记录","notes":"按季度汇总。",
  "metadata_created":"2024-03-07T08:00:00Z","metadata_modified":"2024-06-07T08:00:00Z"}
]
EOF
)"

echo "== edismax, qf=\"$QF\", q.op=AND, mm=\"$MM\", sow=true (what the portal must send)"
# 公交 in a title outranks 公交 only in notes; the res_url/url doc must not match
expect     true '公交'       'zz-bus zz-busnotes'
expect     true '公交线路'   'zz-bus'
expect     true '公共'       'zz-bike'
expect     true '空气质量'   'zz-air'
expect     true 'bus'        'zz-en'
expect_set true '枣庄'       'zz-bus zz-bike'
# single character: matched through the index-time unigrams
expect     true '气'         'zz-air'
# 自行车 = bigrams 自行+行车; zz-trap has both, but not adjacent
expect     true '自行车'     'zz-bike'
expect     true '枣庄 公交'  'zz-bus'
expect     true '公交 线路'  'zz-bus zz-busnotes'
expect     true '滕州'       'zz-air'
# English stemming still comes from the stock "text" field
expect     true 'stop'       'zz-en'
# full-width Latin is folded by CJKWidthFilter
expect     true 'ＢＵＳ'     'zz-en'

echo "== same with sow=false (Solr's default for edismax)"
expect     false '公交'      'zz-bus zz-busnotes'
expect     false '公交线路'  'zz-bus'
expect     false '公共'      'zz-bike'
expect     false '空气质量'  'zz-air'
expect_set false '枣庄'      'zz-bus zz-bike'
# Known gap, reported rather than failed: sow=false turns 自行车 into
# +自行 +行车 instead of a phrase, so the non-adjacent trap doc matches too.
got="$(search '自行车' false)"
printf 'INFO  edismax sow=false q=[%s] -> %s   (phrase semantics lost without sow=true)\n' '自行车' "${got:-(none)}"

# Known gap of phrase matching: a CJK run followed by punctuation, digits or
# Latin inside one whitespace-free clause misaligns with the index-time
# unigram positions, so the clause matches nothing in the *_zh fields. The
# portal should put spaces at such boundaries ("公交、线路" -> "公交 线路").
got="$(search '公交、线路' true)"
printf 'INFO  edismax sow=true  q=[%s] -> %s   (send "公交 线路" instead)\n' '公交、线路' "${got:-(none)}"

echo "== dismax (CKAN's default parser) with the same qf; it always splits on whitespace"
expect     true '公交'       'zz-bus zz-busnotes' dismax
expect     true '公交线路'   'zz-bus'             dismax
expect     true '自行车'     'zz-bike'            dismax

echo "== CKAN's stock dismax query (no portal qf), for comparison"
got="$(curl -sS -f -G "$BASE/select" --data-urlencode 'q=公交' \
  --data-urlencode 'defType=dismax' --data-urlencode 'qf=name^4 title^4 tags^2 groups^2 text' \
  --data-urlencode "mm=$MM" --data-urlencode 'q.op=AND' \
  --data-urlencode "fq=site_id:$SITE" --data-urlencode 'fl=id' \
  --data-urlencode 'wt=csv' --data-urlencode 'csv.header=false' | tr -d '\r' | paste -sd' ' -)"
printf 'INFO  dismax stock qf q=[%s] -> %s\n' '公交' "${got:-(none)}"

echo "$pass passed, $fail failed"
[[ "$fail" -eq 0 ]]

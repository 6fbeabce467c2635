#!/bin/bash
# One-shot set-up of the production Elasticsearch (the `es-setup` service of docker-compose.yml):
#  1. a CA and one TLS certificate per node, kept in the `certs` volume (made once, reused);
#  2. once the cluster answers: the kibana_system password, pagesift's roles and users (the
#     writer for workers, beat, the console and the CLI; a search-only reader for the public web).
# Every step is idempotent, so the service can run on every `docker compose up`.
set -euo pipefail

: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD in .env}"
: "${KIBANA_PASSWORD:?set KIBANA_PASSWORD in .env}"
: "${PAGESIFT_ES_PASSWORD:?set PAGESIFT_ES_PASSWORD in .env}"
: "${PAGESIFT_ES_READER_PASSWORD:?set PAGESIFT_ES_READER_PASSWORD in .env}"
PREFIX="${PAGESIFT_INDEX_PREFIX:-pages}"
NODES="${ES_NODES:-es01}"
ES_URL="${ES_SETUP_URL:-https://elasticsearch:9200}"
CERTS=config/certs

cd /usr/share/elasticsearch
# Compose starts the nodes once this file exists; a rerun (say, for new nodes) hides it
# until every node's certificate is there.
rm -f "$CERTS/.ready"

if [ ! -f "$CERTS/ca/ca.crt" ]; then
  echo "creating the certificate authority"
  bin/elasticsearch-certutil ca --silent --pem --out "$CERTS/ca.zip"
  unzip -oq "$CERTS/ca.zip" -d "$CERTS" && rm "$CERTS/ca.zip"
fi
for node in $NODES; do
  if [ ! -f "$CERTS/$node/$node.crt" ]; then
    echo "creating the certificate of $node"
    # Every node also answers as `elasticsearch`, the name the apps and Kibana use.
    bin/elasticsearch-certutil cert --silent --pem --name "$node" --dns "$node,elasticsearch,localhost" \
      --ip 127.0.0.1 --ca-cert "$CERTS/ca/ca.crt" --ca-key "$CERTS/ca/ca.key" --out "$CERTS/$node.zip"
    unzip -oq "$CERTS/$node.zip" -d "$CERTS" && rm "$CERTS/$node.zip"
  fi
done
# Elasticsearch and Kibana run as uid 1000 in group 0: group-readable is enough; the CA key
# stays with root.
chown -R root:root "$CERTS"
find "$CERTS" -type d -exec chmod 750 {} +
find "$CERTS" -type f -exec chmod 640 {} +
chmod 600 "$CERTS/ca/ca.key"
# The CA certificate is public: the app containers (uid 10001) read it to verify the nodes.
chmod 755 "$CERTS" "$CERTS/ca"
chmod 644 "$CERTS/ca/ca.crt"
touch "$CERTS/.ready"

call() {  # METHOD PATH [JSON]: fails the set-up on any HTTP error
  curl -sS --fail-with-body --cacert "$CERTS/ca/ca.crt" -u "elastic:$ELASTIC_PASSWORD" \
    -H 'Content-Type: application/json' -X "$1" "$ES_URL$2" ${3:+-d "$3"} >/dev/null
}

echo "waiting for Elasticsearch at $ES_URL"
until curl -s --cacert "$CERTS/ca/ca.crt" -u "elastic:$ELASTIC_PASSWORD" "$ES_URL/_cluster/health" \
    | grep -Eq '"status":"(green|yellow)"'; do
  sleep 3
done

echo "setting the kibana_system password"
call POST /_security/user/kibana_system/_password "{\"password\":\"$KIBANA_PASSWORD\"}"

echo "roles and users"
# The app writes its own indices, aliases and templates, and nothing else.
call PUT /_security/role/pagesift_app "{
  \"cluster\": [\"monitor\", \"manage_index_templates\"],
  \"indices\": [{\"names\": [\"$PREFIX\", \"$PREFIX-*\"], \"privileges\": [\"all\"]}]
}"
call PUT /_security/user/pagesift "{\"password\":\"$PAGESIFT_ES_PASSWORD\",\"roles\":[\"pagesift_app\"]}"
# The public web app only searches the read alias, so a bug or a break-in there can read what
# readers already see and change nothing. Only the alias: not the raw store, the write alias
# or the concrete indices (a request through the alias needs no grant on them). `monitor`
# because /healthz pings the cluster, and GET / asks for it.
call PUT /_security/role/pagesift_reader "{
  \"cluster\": [\"monitor\"],
  \"indices\": [{\"names\": [\"$PREFIX\"], \"privileges\": [\"read\"]}]
}"
call PUT /_security/user/pagesift_reader "{\"password\":\"$PAGESIFT_ES_READER_PASSWORD\",\"roles\":[\"pagesift_reader\"]}"
# Analysts read the pages and build their own Kibana views; they cannot change an index.
call PUT /_security/role/pagesift_analyst "{
  \"indices\": [{\"names\": [\"$PREFIX\", \"$PREFIX-v*\"],
                 \"privileges\": [\"read\", \"view_index_metadata\"]}],
  \"applications\": [{\"application\": \"kibana-.kibana\", \"resources\": [\"*\"],
    \"privileges\": [\"feature_discover.all\", \"feature_dashboard.all\", \"feature_visualize.all\",
                     \"feature_indexPatterns.all\"]}]
}"
if [ -n "${ANALYST_PASSWORD:-}" ]; then
  call PUT /_security/user/analyst "{\"password\":\"$ANALYST_PASSWORD\",\"roles\":[\"pagesift_analyst\"]}"
fi
echo "set-up done"

#!/bin/bash
# Makes a studio database with the code at 1d2c801: dataset + items (one relabelled), a completed search with trials
# and epochs, a registered model + version, an endpoint, an API key and a second user.
set -euo pipefail
MODE=$1; DATA=$2; PORT=$3; CONN=${4:-}
KEY=ams_fixture_admin_key_0123456789abcdef
export Studio__DataDir=$DATA Studio__Bootstrap__ApiKey=$KEY Studio__Bootstrap__AdminEmail=admin@fixture.local Studio__Bootstrap__AdminPassword=Fixture-Passw0rd
export Studio__Training__CpuSlots=1
if [ "$MODE" = postgres ]; then export Studio__Database=postgres Studio__ConnectionString="$CONN"; fi
cd /tmp/old/src/AutoMLStudio.Web/bin/Release/net10.0/linux-x64
dotnet AutoMLStudio.Web.dll --urls http://127.0.0.1:$PORT > $DATA.log 2>&1 &
PID=$!
trap "kill $PID" EXIT
B=http://127.0.0.1:$PORT; H="Authorization: Bearer $KEY"
for i in $(seq 120); do curl -sf $B/health >/dev/null && break; sleep 1; done
DS=$(curl -sf -H "$H" -F file=@/tmp/fx/flowers.csv -F name=flowers -F labelColumn=species $B/api/v1/datasets | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
for i in $(seq 120); do S=$(curl -sf -H "$H" $B/api/v1/datasets/$DS | python3 -c 'import sys,json;print(json.load(sys.stdin)["status"])'); [ "$S" = ready ] && break; sleep 1; done
ITEM=$(curl -sf -H "$H" "$B/api/v1/datasets/$DS/items?take=1" | python3 -c 'import sys,json;print(json.load(sys.stdin)["items"][0]["id"])')
curl -sf -X PUT -H "$H" -H 'Content-Type: application/json' -d '{"label":"versicolor"}' $B/api/v1/datasets/$DS/items/$ITEM/label >/dev/null
SE=$(curl -sf -H "$H" -H 'Content-Type: application/json' -d "{\"datasetId\":\"$DS\",\"objective\":{\"metric\":\"accuracy\"},\"budget\":{\"maxTrials\":2,\"maxMinutes\":3,\"maxEpochsPerTrial\":2},\"algorithm\":\"random\",\"seed\":1}" $B/api/v1/searches | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
for i in $(seq 300); do S=$(curl -sf -H "$H" $B/api/v1/searches/$SE | python3 -c 'import sys,json;print(json.load(sys.stdin)["status"])'); [ "$S" = completed -o "$S" = failed ] && break; sleep 2; done
echo "search $SE $S"
TR=$(curl -sf -H "$H" $B/api/v1/searches/$SE | python3 -c 'import sys,json;print(json.load(sys.stdin)["bestTrialId"])')
MO=$(curl -sf -H "$H" -H 'Content-Type: application/json' -d "{\"trialId\":\"$TR\",\"name\":\"flowers-model\"}" $B/api/v1/models | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
EP=$(curl -sf -H "$H" -H 'Content-Type: application/json' -d "{\"modelId\":\"$MO\",\"name\":\"flowers-endpoint\"}" $B/api/v1/endpoints | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
curl -sf -H "$H" -H 'Content-Type: application/json' -d '{"name":"fixture-key"}' $B/api/v1/apikeys >/dev/null
curl -sf -H "$H" -H 'Content-Type: application/json' -d '{"email":"expert@fixture.local","password":"Expert-Passw0rd","role":"Expert"}' $B/api/v1/users >/dev/null
echo "dataset=$DS item=$ITEM search=$SE trial=$TR model=$MO endpoint=$EP" | tee $DATA.ids

#!/bin/bash
# One-container Ceph (mon + bluestore osd on a sparse file + radosgw/beast) serving S3 on :$RGW_PORT.
# Ceph's own traffic stays on 127.0.0.1 inside the container, so the cluster survives a restart of
# the container (docker stop/start keeps the data) whatever its IP.
# Arguments (minio's `server --console-address :9001 /data`) are ignored.
set -euo pipefail

ACCESS_KEY=${MINIO_ROOT_USER:-minioadmin}
SECRET_KEY=${MINIO_ROOT_PASSWORD:-minioadmin}
REGION=${MINIO_REGION:-us-east-1}
RGW_PORT=${RGW_PORT:-9000}
OSD_SIZE_BYTES=${OSD_SIZE_BYTES:-10737418240}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}
RGW_ACCESS_LOG=${RGW_ACCESS_LOG:-0}
unset AWS_CA_BUNDLE || true

T0=$(date +%s%N)
log() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '[s3 %3d.%03ds] %s\n' $((ms/1000)) $((ms%1000)) "$*"; }
MARK=/var/lib/ceph/.bootstrapped
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

PIDS=()
shutdown() {
  local rc=${1:-0}
  trap - TERM INT
  log "stopping"
  # rgw, then osd, then mon, one at a time: the osd tells the mon it goes down, so the next start
  # sees no stale "up" osd (which would stall radosgw for ~10 s)
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  exit "$rc"
}
trap shutdown TERM INT

wait_until() {
  local what=$1; shift
  until "$@"; do
    if (( ($(date +%s%N) - T0) / 1000000000 > STARTUP_TIMEOUT )); then
      log "FAILED: timeout waiting for $what"; shutdown 1
    fi
    sleep 0.1
  done
}
# the ceph CLI waits up to 300 s for a mon: bound every call
ceph() { timeout 20 /usr/bin/ceph "$@"; }
osd_up_since() {
  ceph osd dump 2>/dev/null | awk -v e0="$1" '$1=="osd.0" && $2=="up" {
    for (i = 1; i < NF; i++) if ($i == "up_from" && $(i+1) > e0) f = 1 } END { exit !f }'
}
rgw_answers() { curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/"; }
s3() {  # s3 METHOD PATH [curl args...]: a SigV4-signed request to the local gateway; prints the HTTP code
  local method=$1 path=$2; shift 2
  curl -s -o /tmp/s3.out -w '%{http_code}' -X "$method" --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ACCESS_KEY:$SECRET_KEY" -H "x-amz-content-sha256: $EMPTY_SHA256" "$@" \
    "http://127.0.0.1:$RGW_PORT$path"
}

mkdir -p /etc/ceph /var/lib/ceph/mon/ceph-a /var/lib/ceph/osd/ceph-0 \
         /var/lib/ceph/radosgw/ceph-rgw.gw /var/log/ceph /var/run/ceph

if [ ! -e "$MARK" ]; then
  FSID=$(uuidgen)
  if [ "$RGW_ACCESS_LOG" = 1 ]; then RGWLOG=$'log_to_stderr = true\ndebug_rgw = 1/5'; else RGWLOG="log_to_stderr = false"; fi
  cat >/etc/ceph/ceph.conf <<CONF
[global]
fsid = $FSID
mon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
log_to_file = false
log_to_stderr = false
err_to_stderr = true
mon_cluster_log_to_file = false
mon_cluster_log_to_stderr = false
# one OSD: size-1 pools with few PGs, no autoscaler (there is no mgr)
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
mon_data_avail_warn = 2
mon_data_avail_crit = 1
# every pool create and osd boot is a paxos round: 1 s by default makes start-up 15 s instead of 6 s
paxos_propose_interval = 0.05
osd_objectstore = bluestore

[mon]
mon_data = /var/lib/ceph/mon/ceph-\$id

[osd]
osd_data = /var/lib/ceph/osd/ceph-\$id
osd_crush_initial_weight = 1
bluestore_block_size = $OSD_SIZE_BYTES
bluestore_block_create = true
# a small fixed cache: osd_memory_target cannot go below 896 MiB
bluestore_cache_autotune = false
bluestore_cache_size = 134217728
bluestore_rocksdb_options_annex = write_buffer_size=16777216,max_write_buffer_number=2
bluestore_fsck_on_mkfs = false
bluestore_fsck_on_mount = false

[client.rgw.gw]
$RGWLOG
# tcp_nodelay=1: otherwise Nagle + delayed ACK add ~40 ms to every small S3 response
rgw_frontends = beast port=$RGW_PORT tcp_nodelay=1
rgw_thread_pool_size = 64
rgw_enable_usage_log = false
rgw_dynamic_resharding = false
rgw_zonegroup = default
rgw_zone = default
# the registry deletes its _uploads/ objects after every blob: reclaim them after 30 s, not 2 h
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 30
rgw_gc_processor_max_time = 30
CONF

  log "bootstrap: keys and monmap"
  ceph-authtool --create-keyring /tmp/mon.keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring /etc/ceph/ceph.client.admin.keyring --gen-key -n client.admin \
      --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool /tmp/mon.keyring --import-keyring /etc/ceph/ceph.client.admin.keyring >/dev/null
  monmaptool --create --fsid "$FSID" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' /tmp/monmap >/dev/null
  ceph-mon --mkfs -i a --monmap /tmp/monmap --keyring /tmp/mon.keyring
  rm -f /tmp/mon.keyring /tmp/monmap
fi

log "starting mon"
ceph-mon -f -i a &
PIDS+=($!)

# osdmap epoch before this osd starts: the osd only counts as up once its up_from is newer
E0=$(ceph osd dump 2>/dev/null | awk '$1=="epoch"{print $2; exit}') || true
[ -n "$E0" ] || { log "FAILED: no answer from ceph-mon"; shutdown 1; }

if [ ! -e "$MARK" ]; then
  OSD_UUID=$(uuidgen)
  OSD_SECRET=$(ceph-authtool --gen-print-key)
  echo "{\"cephx_secret\": \"$OSD_SECRET\"}" | ceph osd new "$OSD_UUID" -i - -n client.admin >/dev/null
  ceph-authtool --create-keyring /var/lib/ceph/osd/ceph-0/keyring --name osd.0 --add-key "$OSD_SECRET" >/dev/null
  log "osd mkfs"
  # bluestore on a plain file logs harmless "unable to get device name" lines
  ceph-osd -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>&1 \
    | grep -vE 'unable to get device name|_read_bdev_label failed|_read_fsid' || true
fi

log "starting osd"
ceph-osd -f -i 0 2> >(grep --line-buffered -v 'unable to get device name' >&2) &
PIDS+=($!)
wait_until "osd.0 up" osd_up_since "$E0"

if [ ! -e "$MARK" ]; then
  ceph auth get-or-create client.rgw.gw mon 'allow rw' osd 'allow rwx' \
      -o /var/lib/ceph/radosgw/ceph-rgw.gw/keyring
  # creates the default realm, zonegroup, zone and pools, then the S3 user
  timeout 60 radosgw-admin user create --uid=root --display-name="root" \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  # there is deliberately no ceph-mgr: keep health OK
  ceph health mute MGR_DOWN --sticky >/dev/null 2>&1 || true
fi

log "starting radosgw on :$RGW_PORT"
radosgw -f -n client.rgw.gw &
PIDS+=($!)
wait_until "radosgw on :$RGW_PORT" rgw_answers

if [ ! -e "$MARK" ]; then
  # minio's liveness path, served by the gateway itself: a public-read empty object
  # health/live in a bucket named minio, so GET /minio/health/live answers 200 without credentials
  code=$(s3 PUT /minio)
  [ "$code" = 200 ] || { log "FAILED: cannot create the health bucket: HTTP $code $(cat /tmp/s3.out)"; shutdown 1; }
  code=$(s3 PUT /minio/health/live -H 'x-amz-acl: public-read' --data-binary '')
  [ "$code" = 200 ] || { log "FAILED: cannot create the health object: HTTP $code $(cat /tmp/s3.out)"; shutdown 1; }
  touch "$MARK"
fi
log "S3 READY port=$RGW_PORT"

# the container ends when any daemon ends
wait -n "${PIDS[@]}" || true
log "FAILED: a ceph daemon exited"
shutdown 1

# Shared by IPaddr and SendArp (sourced, never run): heartbeat-style messages, argument checks,
# and gratuitous ARP with iputils-arping: a first burst before start returns, the rest detached.
# shellcheck shell=bash

ha_info() { printf 'INFO:  %s\n' "$*"; }
ha_warn() { printf 'WARN: %s\n' "$*" >&2; }
ha_error() { printf 'ERROR: %s\n' "$*" >&2; }

# ha_die STATUS MESSAGE, with LSB statuses: 1 failed, 2 invalid argument, 5 not installed,
# 6 not configured.
ha_die() {
  local status=$1
  shift
  ha_error "$@"
  exit "$status"
}

ha_require() { # TOOL PACKAGE
  command -v "$1" >/dev/null || ha_die 5 "$1 not found: install the $2 package"
}

# Sets REPLY to the 32-bit value of a dotted quad; fails when TEXT is not one.
ha_ipv4() {
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  local octet value=0
  for octet in "${BASH_REMATCH[@]:1}"; do
    ((10#$octet <= 255)) || return 1
    value=$((value * 256 + 10#$octet))
  done
  REPLY=$value
}

# Fails unless TEXT can be an interface name, optionally with a :label, as heartbeat accepts it.
ha_valid_nic() {
  [[ $1 =~ ^[A-Za-z][A-Za-z0-9_.:-]{0,14}$ ]]
}

# Tools' messages stay parseable, and arping starts faster without locale files to read.
export LC_ALL=C

# Where pid files live, as heartbeat's HA_RSCTMP.
HA_RUNDIR=${HA_RSCTMP:-/run/resource-agents}

arp_default_pidfile() { # IP
  REPLY=$HA_RUNDIR/send_arp-$1
}

# Sets REPLY to the pid named in PIDFILE when it is a live ARP sender for IP started by one of our
# agents (a recycled pid belongs to some other program, whose command line differs).
arp_sender() { # PIDFILE IP
  local pid state arg agent=0 target=0
  local -a argv
  [[ -r $1 ]] && read -r pid <"$1" && [[ $pid =~ ^[1-9][0-9]*$ && $pid != "$$" ]] ||
    return 1
  { read -r state <"/proc/$pid/stat" && mapfile -d '' -t argv <"/proc/$pid/cmdline"; } 2>/dev/null ||
    return 1
  state=${state##*) }
  [[ ${state%% *} != Z ]] || return 1
  for arg in "${argv[@]}"; do
    case ${arg##*/} in IPaddr | SendArp) agent=1 ;; esac
    [[ $arg == "$2" || $arg == "$2"/* ]] && target=1
  done
  ((agent && target)) || return 1
  REPLY=$pid
}

# Naps SECONDS (a fraction) in a read that times out on a pipe of our own, which nothing writes
# to: a sleep process each time would take longer to start than the nap lasts.
ha_nap() { # SECONDS
  [[ -n ${HA_NAP-} ]] || exec {HA_NAP}<> <(:)
  read -r -t "$1" -u "$HA_NAP" _
}

# Stops the ARP sender of PIDFILE, if any, and waits until it is gone: nothing announces IP after.
arp_cancel() { # PIDFILE IP
  if arp_sender "$1" "$2"; then
    local pid=$REPLY deadline=$((${EPOCHREALTIME/./} + 2000000))
    kill -TERM "$pid" 2>/dev/null
    while arp_sender "$1" "$2"; do
      if ((${EPOCHREALTIME/./} > deadline)); then
        kill -KILL "$pid" 2>/dev/null
        break
      fi
      ha_nap 0.0005
    done
  fi
  [[ ! -e $1 ]] || rm -f -- "$1"
}

# Announces IP on NIC: the first burst (ACTION: both, request or reply) has gone out when this
# returns; the other REPEAT-1 rounds, INTERVAL_MS apart, follow in a detached process recorded in
# PIDFILE, with arping's output in PIDFILE.log. On failure REPLY says why.
arp_start() { # IP NIC INTERVAL_MS REPEAT ACTION PIDFILE
  local pidfile=$6 dir=${6%/*} from_worker outcome
  arp_cancel "$pidfile" "$1"
  [[ -d $dir ]] || mkdir -p -- "$dir" || {
    REPLY="cannot create $dir"
    return 1
  }
  : >"$pidfile.log" || {
    REPLY="cannot write $pidfile.log"
    return 1
  }
  # The worker's stdout is a pipe only until it reports the burst; it never holds our caller's.
  exec {from_worker}< <(arp_worker "$@")
  (($4 > 1)) && printf '%s\n' "$!" >"$pidfile"
  read -r -u "$from_worker" outcome
  exec {from_worker}<&-
  [[ $outcome == sent ]] && return 0
  [[ ! -e $pidfile ]] || rm -f -- "$pidfile"
  REPLY=${outcome#failed }
  [[ -n $REPLY ]] || REPLY='the ARP sender died'
  return 1
}

arp_worker() { # IP NIC INTERVAL_MS REPEAT ACTION PIDFILE
  local ip=$1 nic=$2 interval=$3 repeat=$4 action=$5 pidfile=$6 round gap half=$(($3 / 2))
  local log=$pidfile.log owner
  # By exec, not on the call: a call's redirection keeps a copy of the old descriptor meanwhile.
  # Until we report, nothing but us writes to our stdout pipe: reading it is a nap that costs no
  # process to set up.
  exec </dev/null 2>>"$log" {HA_NAP}</proc/self/fd/1
  trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 0' TERM
  arp_announce "$ip" "$nic" "$action" "$log"
  local sent=$?
  # Our report must reach the caller, not a nap: later naps get a pipe of their own.
  exec {HA_NAP}<&-
  unset HA_NAP
  if ((sent == 0)); then
    echo sent
  else
    echo "failed $REPLY"
    exit 1
  fi
  exec >/dev/null
  wait
  gap=$interval
  for ((round = 2; round <= repeat; round++)); do
    if [[ $action == both ]]; then
      # Heartbeat's rhythm: the request, then the reply half an interval later.
      arp_later "$gap" "$ip" "$nic" request "$log" || break
      arp_later "$half" "$ip" "$nic" reply "$log" || break
      gap=$((interval - half))
    else
      arp_later "$interval" "$ip" "$nic" "$action" "$log" || break
    fi
  done
  read -r owner <"$pidfile" 2>/dev/null
  [[ $owner != "$BASHPID" ]] || rm -f -- "$pidfile"
}

# Waits MS, announces, and reaps the arping processes; fails when either step does.
arp_later() { # MS IP NIC ACTION LOG
  local seconds status
  printf -v seconds '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
  # In the background, so that a TERM is handled at once rather than after the sleep.
  sleep "$seconds" &
  wait "$!" || return
  arp_announce "$2" "$3" "$4" "$5"
  status=$?
  wait
  return "$status"
}

# Sends the packets of ACTION (both = a request and a reply, at the same time) and returns once
# they have gone out; the arping processes may still be exiting (our caller reaps them).
arp_announce() { # IP NIC ACTION LOG
  local flag pid failed=0
  local -a pids=()
  for flag in -U -A; do
    [[ $3 == both || ($3 == request && $flag == -U) || ($3 == reply && $flag == -A) ]] ||
      continue
    arping "$flag" -c 1 -I "$2" -s "$1" "$1" </dev/null >>"$4" 2>&1 &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do
    arp_await_sent "$pid" || failed=1
  done
  ((failed)) || return 0
  arp_reason "$4"
  return 1
}

# Waits until arping PID has sent its one packet. Old arpings then wait a whole interval before
# exiting, so once one blocks in that wait it is told to quit now. The packet has gone out when
# arping sleeps with SIGTERM blocked: it blocks signals just before sending, then polls.
arp_await_sent() { # PID
  local stat comm deadline=$((${EPOCHREALTIME/./} + 2000000))
  local -a field
  while :; do
    # /proc/PID/stat, not status: reading status can stall for milliseconds while PID execs.
    stat=''
    IFS= read -r -d '' stat 2>/dev/null <"/proc/$1/stat"
    comm=${stat#*\(}
    comm=${comm%\)*}
    # From the state on: 0 state, 1 parent, 29 blocked signals. Split by the shell, as numbers and
    # letters hold nothing to glob: a here-string would cost more than the rest of the look.
    # shellcheck disable=SC2206
    field=(${stat##*) })
    # Gone, a zombie, or (another parent) reaped and its pid reused: it has exited.
    [[ -n $stat && ${field[1]} == "$BASHPID" && ${field[0]} != Z ]] || break
    if [[ $comm == arping && ${field[0]} == S ]] && ((field[29] & 1 << 14)); then
      kill -TERM "$1"
      return 0
    fi
    if ((${EPOCHREALTIME/./} > deadline)); then
      kill -KILL "$1"
      break
    fi
    # A busy loop could keep the new arping off our CPU for a whole tick: nap between looks.
    ha_nap 0.0002
  done
  # Newer arpings quit right after their last packet; the status says whether it went out.
  wait "$1"
}

# Sets REPLY to what arping said about its failure, once, without its usual chatter.
arp_reason() { # LOG
  local line
  REPLY=''
  while read -r line; do
    case $line in 'ARPING '* | 'Sent '* | 'Received '* | '') continue ;; esac
    [[ "; $REPLY; " == *"; $line; "* ]] || REPLY+="${REPLY:+; }$line"
  done <"$1"
  REPLY=${REPLY:-arping failed}
}

# Shared by IPaddr and SendArp (sourced, never run): heartbeat-style messages, argument checks,
# and gratuitous ARP with iputils-arping: the first packet before start returns, the rest detached.
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
  # Quietly: the sender removes its pid file as it quits, maybe between our two looks.
  [[ -r $1 ]] && read -r pid 2>/dev/null <"$1" && [[ $pid =~ ^[1-9][0-9]*$ && $pid != "$$" ]] ||
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
# to: a sleep process each time would take longer to start than the nap lasts. A trapped signal
# ends the nap at once. A caller with a drained pipe at hand offers it with ha_nap_on.
ha_nap() { # SECONDS
  [[ -n ${HA_NAP-} ]] || exec {HA_NAP}<> <(:)
  read -r -t "$1" -u "$HA_NAP" _
}

# Naps from now on on the pipe FD reads from, once its writers are gone and it is drained: we
# become its writer, so nothing ever arrives. Costs no process, unlike ha_nap's own pipe.
ha_nap_on() { # FD
  [[ -n ${HA_NAP-} ]] || exec {HA_NAP}<>"/proc/self/fd/$1"
}

# Stops the ARP sender of PIDFILE, if any, and waits until it is gone: nothing announces IP after.
arp_cancel() { # PIDFILE IP
  arp_cancel_begin "$1" "$2"
  arp_cancel_end "$1" "$2"
}

# Tells the ARP sender of PIDFILE, if any, to quit; it goes while the caller does other work.
arp_cancel_begin() { # PIDFILE IP
  arp_sender "$1" "$2" && kill -TERM "$REPLY" 2>/dev/null
}

# Waits until the ARP sender of PIDFILE is gone (killing it after 2 s), and its pid file.
arp_cancel_end() { # PIDFILE IP
  local deadline=$((${EPOCHREALTIME/./} + 2000000))
  while arp_sender "$1" "$2"; do
    if ((${EPOCHREALTIME/./} > deadline)); then
      kill -KILL "$REPLY" 2>/dev/null
      break
    fi
    ha_nap 0.0005
  done
  # The sender removes its own pid file; one that died unannounced leaves it behind.
  [[ ! -e $1 ]] || rm -f -- "$1"
}

# Announces IP on NIC. The first packet (a request, or a reply when ACTION is reply) has gone out
# when this returns; what follows, in heartbeat's rhythm (a reply half an interval after each
# request, REPEAT rounds INTERVAL_MS apart), comes from a detached process recorded in PIDFILE,
# with arping's output in PIDFILE.log. On failure REPLY says why.
arp_start() { # IP NIC INTERVAL_MS REPEAT ACTION PIDFILE
  local pidfile=$6 dir=${6%/*} first=request arping worker=''
  arp_cancel "$pidfile" "$1"
  [[ -d $dir ]] || mkdir -p -- "$dir" || {
    REPLY="cannot create $dir"
    return 1
  }
  : >"$pidfile.log" || {
    REPLY="cannot write $pidfile.log"
    return 1
  }
  [[ $5 == reply ]] && first=reply
  # The first packet is sent from here, with no process in between; the sender of the rest
  # starts while arping loads, and never holds our caller's pipes.
  arp_send "$1" "$2" "$first" "$pidfile.log"
  arping=$!
  if (($4 > 1)) || [[ $5 == both ]]; then
    arp_worker "$@" </dev/null >/dev/null 2>>"$pidfile.log" &
    worker=$!
    printf '%s\n' "$worker" >"$pidfile"
  fi
  arp_await_sent "$arping" && return 0
  if [[ -n $worker ]]; then
    kill -TERM "$worker" 2>/dev/null
    rm -f -- "$pidfile"
  fi
  arp_reason "$pidfile.log"
  return 1
}

# What follows the first packet of arp_start, until REPEAT rounds have gone out.
arp_worker() { # IP NIC INTERVAL_MS REPEAT ACTION PIDFILE
  local ip=$1 nic=$2 interval=$3 repeat=$4 action=$5 pidfile=$6 round half=$(($3 / 2))
  local log=$pidfile.log
  trap 'arp_worker_quit "$pidfile"' TERM
  for ((round = 1; round <= repeat; round++)); do
    if [[ $action == both ]]; then
      if ((round > 1)); then
        arp_later $((interval - half)) "$ip" "$nic" request "$log" || break
      fi
      arp_later "$half" "$ip" "$nic" reply "$log" || break
    elif ((round > 1)); then
      arp_later "$interval" "$ip" "$nic" "$action" "$log" || break
    fi
  done
  arp_worker_release "$pidfile"
}

# A TERM ends the worker at once, with the arping it may have started ($!, while still its child)
# and its pid file.
arp_worker_quit() { # PIDFILE
  local stat
  local -a field
  if [[ -n $! ]] && IFS= read -r -d '' stat 2>/dev/null <"/proc/$!/stat"; then
    # shellcheck disable=SC2206
    field=(${stat##*) })
    [[ ${field[1]} == "$BASHPID" ]] && kill -TERM "$!" 2>/dev/null && wait "$!"
  fi
  arp_worker_release "$1"
  exit 0
}

# Removes PIDFILE if it still names this worker (a newer sender may have replaced it).
arp_worker_release() { # PIDFILE
  local owner
  read -r owner 2>/dev/null <"$1"
  [[ $owner != "$BASHPID" ]] || rm -f -- "$1"
}

# Waits MS (a TERM still ends the worker at once), then announces; fails when arping does.
arp_later() { # MS IP NIC ACTION LOG
  local seconds
  printf -v seconds '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
  ha_nap "$seconds"
  arp_send "$2" "$3" "$4" "$5"
  arp_await_sent "$!"
}

# Starts one arping for one packet of ACTION (request or reply), in the background ($!).
arp_send() { # IP NIC ACTION LOG
  local flag=-U
  [[ $3 == reply ]] && flag=-A
  arping "$flag" -c 1 -I "$2" -s "$1" "$1" </dev/null >>"$4" 2>&1 &
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

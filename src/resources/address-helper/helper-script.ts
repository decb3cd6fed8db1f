// The address helper's program: a long-lived Perl process (perl-base, core modules only) that
// lists, adds and removes IPv4 addresses over rtnetlink and sends gratuitous ARP from a packet
// socket, so a takeover starts no process. One request per line on stdin, one reply per line:
//   ID list                          -> ID ok DEV,LABEL,ADDRESS,PREFIX ...
//   ID add DEV ADDRESS PREFIX BROADCAST|- LABEL|-
//   ID del DEV ADDRESS PREFIX
//   ID arp DEV ADDRESS request|reply  (an ARP request or reply announcing ADDRESS, as arping -U/-A)
// A reply is `ID ok ...` or `ID err REASON`. It exits when stdin closes (the daemon is gone).
// Linux's numbers, since perl-base has no module that names them.
export const ADDRESS_HELPER_SCRIPT = String.raw`
use strict;
use warnings;
use Socket qw(inet_aton inet_ntoa);
$0 = 'heartbeat: address helper';

my ($AF_INET, $AF_NETLINK, $AF_PACKET, $SOCK_DGRAM, $SOCK_RAW) = (2, 16, 17, 2, 3);
my ($RTM_NEWADDR, $RTM_DELADDR, $RTM_GETADDR, $NLMSG_ERROR, $NLMSG_DONE) = (20, 21, 22, 2, 3);
my ($F_REQUEST, $F_ACK, $F_DUMP, $F_EXCL, $F_CREATE) = (1, 4, 0x300, 0x200, 0x400);
my ($IFA_ADDRESS, $IFA_LOCAL, $IFA_LABEL, $IFA_BROADCAST) = (1, 2, 3, 4);
my ($SIOCGIFNAME, $SIOCGIFINDEX, $SIOCGIFHWADDR) = (0x8910, 0x8933, 0x8927);
my $ETH_P_ARP = 0x0806;
my $KERNEL = pack('S x2 L L', $AF_NETLINK, 0, 0);

socket(my $netlink, $AF_NETLINK, $SOCK_RAW, 0) or die "netlink socket: $!\n";
bind($netlink, $KERNEL) or die "netlink bind: $!\n";
socket(my $inet, $AF_INET, $SOCK_DGRAM, 0) or die "inet socket: $!\n";
socket(my $packet, $AF_PACKET, $SOCK_RAW, unpack('S', pack('n', $ETH_P_ARP)))
  or die "packet socket: $!\n";
my $seq = 0;

sub attr {
  my ($type, $data) = @_;
  my $length = 4 + length $data;
  return pack('S S', $length, $type) . $data . ("\0" x ((4 - $length % 4) % 4));
}

# Sends one netlink request; returns (error, payloads of the answer's messages).
sub talk {
  my ($type, $flags, $body) = @_;
  $seq++;
  my $message = pack('L S S L L', 16 + length $body, $type, $flags, $seq, 0) . $body;
  send($netlink, $message, 0, $KERNEL) or return ("netlink send: $!");
  my @payloads;
  while (1) {
    defined recv($netlink, my $buffer, 1 << 16, 0) or return ("netlink receive: $!");
    while (length $buffer >= 16) {
      my ($length, $kind, undef, $number) = unpack('L S S L', $buffer);
      last if $length < 16 || $length > length $buffer;
      my $payload = substr($buffer, 16, $length - 16);
      my $next = ($length + 3) & ~3;
      $buffer = $next < length $buffer ? substr($buffer, $next) : '';
      next if $number != $seq;
      return (0, @payloads) if $kind == $NLMSG_DONE;
      if ($kind == $NLMSG_ERROR) {
        my $errno = -unpack('l', $payload);
        return (0, @payloads) if $errno == 0;
        local $! = $errno;
        return ("$!");
      }
      push @payloads, $payload;
    }
  }
}

sub ifreq {
  my ($request, $ifr) = @_;
  return ioctl($inet, $request, $ifr) ? $ifr : undef;
}
sub index_of { my $ifr = ifreq($SIOCGIFINDEX, pack('a16 x24', shift)); $ifr && unpack('x16 i', $ifr) }
sub name_of { my $ifr = ifreq($SIOCGIFNAME, pack('x16 i x20', shift)); $ifr && unpack('Z16', $ifr) }
sub mac_of { my $ifr = ifreq($SIOCGIFHWADDR, pack('a16 x24', shift)); $ifr && substr($ifr, 18, 6) }

sub list_addresses {
  my ($error, @payloads) =
    talk($RTM_GETADDR, $F_REQUEST | $F_DUMP, pack('C C C C L', $AF_INET, 0, 0, 0, 0));
  return "err $error" if $error;
  my @entries;
  for my $payload (@payloads) {
    my ($family, $prefix, undef, undef, $index) = unpack('C C C C L', $payload);
    next if $family != $AF_INET;
    my %attributes;
    my $rest = substr($payload, 8);
    while (length $rest >= 4) {
      my ($length, $type) = unpack('S S', $rest);
      last if $length < 4 || $length > length $rest;
      $attributes{$type} = substr($rest, 4, $length - 4);
      my $next = ($length + 3) & ~3;
      $rest = $next < length $rest ? substr($rest, $next) : '';
    }
    my $address = $attributes{$IFA_LOCAL} // $attributes{$IFA_ADDRESS} // next;
    my $dev = name_of($index) // next;
    my $label = defined $attributes{$IFA_LABEL} ? unpack('Z*', $attributes{$IFA_LABEL}) : $dev;
    push @entries, join(',', $dev, $label, inet_ntoa($address), $prefix);
  }
  return join(' ', 'ok', @entries);
}

sub change_address {
  my ($type, $dev, $address, $prefix, $broadcast, $label) = @_;
  my $index = index_of($dev) or return "err no interface $dev";
  my $ip = inet_aton($address) // return "err bad address $address";
  my $body = pack('C C C C L', $AF_INET, $prefix, 0, 0, $index)
    . attr($IFA_LOCAL, $ip) . attr($IFA_ADDRESS, $ip);
  my $flags = $F_REQUEST | $F_ACK;
  if ($type == $RTM_NEWADDR) {
    $body .= attr($IFA_BROADCAST, inet_aton($broadcast)) if $broadcast ne '-';
    $body .= attr($IFA_LABEL, "$label\0") if $label ne '-';
    $flags |= $F_CREATE | $F_EXCL;
  }
  my ($error) = talk($type, $flags, $body);
  return $error ? "err $error" : 'ok';
}

sub send_arp {
  my ($dev, $address, $kind) = @_;
  my $index = index_of($dev) or return "err no interface $dev";
  my $mac = mac_of($dev) // return "err no hardware address on $dev";
  my $ip = inet_aton($address);
  my ($operation, $target) = $kind eq 'reply' ? (2, $mac) : (1, "\xff" x 6);
  my $frame = ("\xff" x 6) . $mac . pack('n', $ETH_P_ARP)
    . pack('n n C C n', 1, 0x0800, 6, 4, $operation) . $mac . $ip . $target . $ip;
  my $to = pack('S n i S C C a8', $AF_PACKET, $ETH_P_ARP, $index, 1, 0, 6, "\xff" x 6);
  return send($packet, $frame, 0, $to) ? 'ok' : "err $!";
}

sub answer {
  my ($id, $verb, @args) = split ' ', shift;
  return unless defined $verb;
  my $reply = $verb eq 'list' ? list_addresses()
    : $verb eq 'add' && @args == 5 ? change_address($RTM_NEWADDR, @args)
    : $verb eq 'del' && @args == 3 ? change_address($RTM_DELADDR, @args)
    : $verb eq 'arp' && @args == 3 ? send_arp(@args)
    : "err cannot read the request";
  syswrite(STDOUT, "$id $reply\n");
}

my $pending = '';
while (sysread(STDIN, $pending, 1 << 16, length $pending)) {
  answer($1) while $pending =~ s/^([^\n]*)\n//;
}
`;

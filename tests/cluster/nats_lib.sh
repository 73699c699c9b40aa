# Shell functions shared by tests/cluster/cluster_test.sh and contrib/bench_cluster.sh.

# nats_conf I BASE STORE NAME: the config of node I (1..3) of a 3-node JetStream cluster
# NAME on loopback: client port BASE+I, route port BASE+4+I, store in STORE. With NATS_TLS
# set to a directory of nats_certs: clients and routes on TLS, certificates verified both
# ways; with NATS_USER and NATS_PASSWORD: clients must log in.
nats_conf() {
	tls=""
	if [ -n "${NATS_TLS:-}" ]; then
		tls="tls {
	cert_file: \"$NATS_TLS/server.pem\"
	key_file: \"$NATS_TLS/server.key\"
	ca_file: \"$NATS_TLS/ca.pem\"
	verify: true
}"
	fi
	routes=""
	for j in 1 2 3; do
		[ "$j" = "$1" ] || routes="$routes nats-route://127.0.0.1:$(($2 + 4 + j)),"
	done
	cat <<EOF
server_name: nats-$1
listen: 127.0.0.1:$(($2 + $1))
jetstream {
	store_dir: "$3"
}
$tls
cluster {
	name: $4
	listen: 127.0.0.1:$(($2 + 4 + $1))
	routes: [${routes%,} ]
	$tls
}
EOF
	[ -z "${NATS_USER:-}" ] || printf 'authorization {\n\tuser: "%s"\n\tpassword: "%s"\n}\n' "$NATS_USER" "$NATS_PASSWORD"
}

# nats_certs DIR: a CA (ca.pem), a certificate for the servers on 127.0.0.1 (server.pem,
# server.key: also the routes' client certificate) and one for ss7watch (client.pem,
# client.key), all signed by the CA; and a second CA (other-ca.pem) that signed none of them.
nats_certs() {
	mkdir -p "$1"
	(
		cd "$1" || exit 1
		for ca in ca other-ca; do
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
				-subj "/CN=ss7watch test $ca" -keyout $ca.key -out $ca.pem 2>/dev/null || exit 1
		done
		for who in server client; do
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=ss7watch test $who" \
				-keyout $who.key -out $who.csr 2>/dev/null || exit 1
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' > $who.ext
			openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
				-extfile $who.ext -out $who.pem 2>/dev/null || exit 1
		done
	)
}

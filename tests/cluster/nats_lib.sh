# Shell functions shared by tests/cluster/cluster_test.sh and contrib/bench_cluster.sh.

# nats_conf I BASE STORE NAME: the config of node I (1..3) of a 3-node JetStream cluster
# NAME on loopback: client port BASE+I, route port BASE+4+I, store in STORE.
nats_conf() {
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
cluster {
	name: $4
	listen: 127.0.0.1:$(($2 + 4 + $1))
	routes: [${routes%,} ]
}
EOF
}

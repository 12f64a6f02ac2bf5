// cadvisor: the container-stats half of google/cadvisor, built from its Go module
// (github.com/google/cadvisor; its own cmd/ is a separate module the Go proxy does not serve).
// It watches the Docker engine's containers (cgroups + the engine API) and serves their CPU,
// memory, network and disk figures in the Prometheus format on /metrics, exactly as upstream's
// binary does (same collector, same metric names, labels and flag names). No web UI, no storage drivers.
package main

import (
	"flag"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/cadvisor/cache/memory"
	"github.com/google/cadvisor/container"
	_ "github.com/google/cadvisor/container/docker/install"
	v2 "github.com/google/cadvisor/info/v2"
	"github.com/google/cadvisor/manager"
	"github.com/google/cadvisor/metrics"
	"github.com/google/cadvisor/utils/sysfs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
)

var (
	listenIP      = flag.String("listen_ip", "", "IP to listen on, defaults to all IPs")
	port          = flag.Int("port", 8080, "port to listen on")
	storeLabels   = flag.Bool("store_container_labels", true, "export every container label as container_label_* (false: only --whitelisted_container_labels)")
	metricKinds   = flag.String("enable_metrics", "cpu,memory,network,diskIO", "comma-separated metric kinds to collect")
	labelsAllowed = flag.String("whitelisted_container_labels", "", "comma-separated container labels exported when --store_container_labels=false")
	storageAge    = flag.Duration("storage_duration", 2*time.Minute, "how long stats are kept in memory")
)

func main() {
	klog.InitFlags(nil)
	flag.Parse()
	included := container.MetricSet{}
	for _, kind := range strings.Split(*metricKinds, ",") {
		included[container.MetricKind(strings.TrimSpace(kind))] = struct{}{}
	}
	// ([]string{""}: no raw cgroup prefix is allowlisted, as upstream's empty --raw_cgroup_prefix_whitelist.
	// --docker_only, --housekeeping_interval, --docker and the other upstream flags are
	// registered by the packages themselves)
	cache := memory.New(*storageAge, nil)
	m, err := manager.New(cache, sysfs.NewRealSysFs(), manager.HousekeepingConfigFlags, included, http.DefaultClient, []string{""}, nil, "", 0)
	if err != nil {
		klog.Fatalf("cadvisor manager: %v", err)
	}
	if err := m.Start(); err != nil {
		klog.Fatalf("cadvisor start: %v", err)
	}
	labels := metrics.DefaultContainerLabels
	if !*storeLabels {
		labels = metrics.BaseContainerLabels(strings.Split(*labelsAllowed, ","))
	}
	registry := prometheus.NewRegistry()
	registry.MustRegister(
		metrics.NewPrometheusCollector(m, labels, included, clock.RealClock{}, v2.RequestOptions{IdType: v2.TypeName, Count: 1, Recursive: true}),
		metrics.NewPrometheusMachineCollector(m, included),
	)
	http.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		_ = m.Stop()
		os.Exit(0)
	}()
	address := net.JoinHostPort(*listenIP, strconv.Itoa(*port))
	klog.Infof("cadvisor serving /metrics on %s", address)
	klog.Fatal(http.ListenAndServe(address, nil))
}

// Reference peer: an echo server written the way gorilla/websocket's own examples write one.
//
// net/http accepts and runs every connection's handler in its own goroutine; the /echo handler
// upgrades and then loops ReadMessage -> WriteMessage on that goroutine until the peer leaves.
// That goroutine is the connection's only reader and only writer, which is exactly gorilla's
// concurrency contract (one concurrent reader, one concurrent writer), so no lock is needed.
// Upgrader defaults kept: 4 KiB read and write buffers, no permessage-deflate (RFC 7692 is not
// negotiated), same-origin CheckOrigin (clients without an Origin header are accepted).
// GOMAXPROCS is Go's default: the number of CPUs in this process's affinity mask (taskset).
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{}

func echo(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil) // on failure Upgrade has already answered with an HTTP error
	if err != nil {
		log.Print("upgrade: ", err)
		return
	}
	defer c.Close()
	for {
		mt, message, err := c.ReadMessage()
		if err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
				log.Print("read: ", err)
			}
			return
		}
		if err := c.WriteMessage(mt, message); err != nil {
			log.Print("write: ", err)
			return
		}
	}
}

func health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("ok\n"))
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.String("port", "8080", "port to listen on (0: any free port, printed at start)")
	flag.Parse()
	log.SetOutput(os.Stdout)

	http.HandleFunc("/echo", echo)
	http.HandleFunc("/health", health)

	// Listen first, so that the printed port is the bound one even for --port 0.
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, *port))
	if err != nil {
		log.Fatal(err)
	}
	// Go's default on SIGTERM is to exit at once; catching it only lets us say so in the log.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		s := <-sig
		log.Printf("gorilla: %v, exiting", s)
		os.Exit(0)
	}()
	log.Printf("gorilla listening on %s (%s, GOMAXPROCS %d)", ln.Addr(), runtime.Version(), runtime.GOMAXPROCS(0))
	log.Fatal(http.Serve(ln, nil))
}

// A small Go program for Windows that exercises what the Go runtime asks of
// ws2_32 (completion ports, AcceptEx/ConnectEx, WSARecv/WSASend, overlapped
// UDP, CancelIoEx on a deadline), built with GOOS=windows and run under Wine
// by tests/integration/go_echo.sh.
//
// Steps, each reported on its own line as "ok NAME ..." or "FAIL NAME: ...":
//
//	tcp_echo        a TCP echo server and a client, both with deadlines
//	tcp_bulk        1 MiB through the echo server, written and read at once
//	udp_exchange    datagrams both ways between two UDP sockets
//	read_deadline   a read with a deadline and no data ends with a timeout
//	                error, and the connection still works afterwards
//	read_cancel     a blocked read is cut short by a deadline set from
//	                another goroutine
//
// Each step has its own time limit: a step whose I/O never completes is
// reported as hung and the next step runs.  The last line is "done PASSED/FAILED",
// and the exit status is 0 only when every step passed.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// stepLimit bounds one step; a step that needs longer is reported as hung.
const stepLimit = 6 * time.Second

// ioDeadline is what every connection gets as its deadline, well inside stepLimit.
const ioDeadline = 4 * time.Second

func startEchoServer() (net.Listener, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(ioDeadline))
				io.Copy(c, c)
			}(c)
		}
	}()
	return ln, nil
}

func tcpEcho() (string, error) {
	ln, err := startEchoServer()
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	c, err := net.DialTimeout("tcp4", ln.Addr().String(), ioDeadline)
	if err != nil {
		return "", fmt.Errorf("dial: %w", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(ioDeadline))
	buf := make([]byte, 64)
	for i := 0; i < 10; i++ {
		msg := []byte(fmt.Sprintf("message %d", i))
		if _, err := c.Write(msg); err != nil {
			return "", fmt.Errorf("write %d: %w", i, err)
		}
		if _, err := io.ReadFull(c, buf[:len(msg)]); err != nil {
			return "", fmt.Errorf("read %d: %w", i, err)
		}
		if !bytes.Equal(buf[:len(msg)], msg) {
			return "", fmt.Errorf("echo %d: got %q, want %q", i, buf[:len(msg)], msg)
		}
	}
	return "messages=10", nil
}

func tcpBulk() (string, error) {
	ln, err := startEchoServer()
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	c, err := net.DialTimeout("tcp4", ln.Addr().String(), ioDeadline)
	if err != nil {
		return "", fmt.Errorf("dial: %w", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(ioDeadline))
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		werr <- err
	}()
	got := make([]byte, len(data))
	if _, err := io.ReadFull(c, got); err != nil {
		return "", fmt.Errorf("read: %w", err)
	}
	if err := <-werr; err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	if !bytes.Equal(got, data) {
		return "", errors.New("the echoed data differ from what was sent")
	}
	return fmt.Sprintf("bytes=%d", len(data)), nil
}

func udpExchange() (string, error) {
	a, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return "", fmt.Errorf("listen a: %w", err)
	}
	defer a.Close()
	b, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return "", fmt.Errorf("listen b: %w", err)
	}
	defer b.Close()
	a.SetDeadline(time.Now().Add(ioDeadline))
	b.SetDeadline(time.Now().Add(ioDeadline))
	buf := make([]byte, 1500)
	for i := 0; i < 5; i++ {
		msg := []byte(fmt.Sprintf("datagram %d", i))
		if _, err := a.WriteToUDP(msg, b.LocalAddr().(*net.UDPAddr)); err != nil {
			return "", fmt.Errorf("send a->b %d: %w", i, err)
		}
		n, from, err := b.ReadFromUDP(buf)
		if err != nil {
			return "", fmt.Errorf("receive at b %d: %w", i, err)
		}
		if !bytes.Equal(buf[:n], msg) {
			return "", fmt.Errorf("b got %q, want %q", buf[:n], msg)
		}
		if from.Port != a.LocalAddr().(*net.UDPAddr).Port {
			return "", fmt.Errorf("b got it from port %d, want %d", from.Port, a.LocalAddr().(*net.UDPAddr).Port)
		}
		if _, err := b.WriteToUDP(buf[:n], from); err != nil {
			return "", fmt.Errorf("send b->a %d: %w", i, err)
		}
		n, _, err = a.ReadFromUDP(buf)
		if err != nil {
			return "", fmt.Errorf("receive at a %d: %w", i, err)
		}
		if !bytes.Equal(buf[:n], msg) {
			return "", fmt.Errorf("a got %q, want %q", buf[:n], msg)
		}
	}
	return "datagrams=10", nil
}

// connectedPair gives both ends of a TCP connection over loopback.
func connectedPair() (net.Conn, net.Conn, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	aerr := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			aerr <- err
			return
		}
		accepted <- c
	}()
	c, err := net.DialTimeout("tcp4", ln.Addr().String(), ioDeadline)
	if err != nil {
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	select {
	case s := <-accepted:
		return c, s, nil
	case err := <-aerr:
		c.Close()
		return nil, nil, fmt.Errorf("accept: %w", err)
	case <-time.After(ioDeadline):
		c.Close()
		return nil, nil, errors.New("accept: no connection")
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// checkStillWorks sends one message from s and reads it at c with no deadline left.
func checkStillWorks(c, s net.Conn) error {
	c.SetReadDeadline(time.Time{})
	if _, err := s.Write([]byte("after")); err != nil {
		return fmt.Errorf("write after the timeout: %w", err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil {
		return fmt.Errorf("read after the timeout: %w", err)
	}
	if string(buf) != "after" {
		return fmt.Errorf("read after the timeout got %q", buf)
	}
	return nil
}

func readDeadline() (string, error) {
	c, s, err := connectedPair()
	if err != nil {
		return "", err
	}
	defer c.Close()
	defer s.Close()
	const wait = 300 * time.Millisecond
	start := time.Now()
	c.SetReadDeadline(start.Add(wait))
	_, err = c.Read(make([]byte, 16))
	took := time.Since(start)
	if !isTimeout(err) {
		return "", fmt.Errorf("read with a deadline: got %v, want a timeout", err)
	}
	if took < wait-50*time.Millisecond || took > wait+3*time.Second {
		return "", fmt.Errorf("the timeout came after %v, want about %v", took, wait)
	}
	if err := checkStillWorks(c, s); err != nil {
		return "", err
	}
	return fmt.Sprintf("timeout_ms=%d", took.Milliseconds()), nil
}

func readCancel() (string, error) {
	c, s, err := connectedPair()
	if err != nil {
		return "", err
	}
	defer c.Close()
	defer s.Close()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := c.Read(make([]byte, 16))
		done <- err
	}()
	// Let the read block, then cut it short from here.
	time.Sleep(200 * time.Millisecond)
	c.SetReadDeadline(time.Now())
	select {
	case err := <-done:
		if !isTimeout(err) {
			return "", fmt.Errorf("cancelled read: got %v, want a timeout", err)
		}
	case <-time.After(ioDeadline):
		return "", errors.New("the cancelled read did not return")
	}
	took := time.Since(start)
	if err := checkStillWorks(c, s); err != nil {
		return "", err
	}
	return fmt.Sprintf("returned_ms=%d", took.Milliseconds()), nil
}

type step struct {
	name string
	run  func() (string, error)
}

func main() {
	steps := []step{
		{"tcp_echo", tcpEcho},
		{"tcp_bulk", tcpBulk},
		{"udp_exchange", udpExchange},
		{"read_deadline", readDeadline},
		{"read_cancel", readCancel},
	}
	failed := 0
	for _, st := range steps {
		type result struct {
			info string
			err  error
		}
		res := make(chan result, 1)
		go func(run func() (string, error)) {
			info, err := run()
			res <- result{info, err}
		}(st.run)
		select {
		case r := <-res:
			if r.err != nil {
				fmt.Printf("FAIL %s: %v\n", st.name, r.err)
				failed++
			} else {
				fmt.Printf("ok %s %s\n", st.name, r.info)
			}
		case <-time.After(stepLimit):
			// Its goroutine stays blocked; os.Exit below ends it.
			fmt.Printf("FAIL %s: hung (no result in %v)\n", st.name, stepLimit)
			failed++
		}
	}
	if failed > 0 {
		fmt.Printf("done FAILED %d of %d\n", failed, len(steps))
		os.Exit(1)
	}
	fmt.Printf("done PASSED %d\n", len(steps))
	os.Exit(0)
}

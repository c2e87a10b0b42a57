//! The demos' HTTP servers (Schema Registry, Kafka Connect): 127.0.0.1 at a port the
//! system chooses, one thread answering one request at a time from a handler of the
//! path, until the `Server` is dropped. A request's head is read under a size cap and
//! a timeout; anything but GET is refused (405): a demo is as read-only as ktopo.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Bytes of a request head read at most.
const MAX_HEAD: u64 = 8 << 10;

/// The running server; dropping it stops the thread.
#[derive(Debug)]
pub struct Server {
    pub url: String,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// What a server is: its thread's name, its answers' content type, and the answer
/// (status, JSON) to `GET path` (the query included).
pub struct Spec<H> {
    pub thread: &'static str,
    pub content_type: &'static str,
    pub handler: H,
}

/// Serve `spec` on 127.0.0.1 until the `Server` is dropped.
pub fn serve<H>(spec: Spec<H>) -> std::io::Result<Server>
where
    H: Fn(&str) -> (u16, Value) + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new().name(spec.thread.into()).spawn(move || {
        for stream in listener.incoming() {
            if flag.load(Ordering::Relaxed) {
                return;
            }
            if let Ok(s) = stream {
                let _ = answer(s, &spec);
            }
        }
    })?;
    Ok(Server {
        url: format!("http://{addr}"),
        stop,
        addr,
    })
}

fn answer<H: Fn(&str) -> (u16, Value)>(stream: TcpStream, spec: &Spec<H>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut head = BufReader::new((&stream).take(MAX_HEAD));
    let mut first = String::new();
    head.read_line(&mut first)?;
    loop {
        let mut line = String::new();
        if head.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, body) = if method != "GET" {
        (
            405,
            json!({"error_code": 405, "message": "this demo server is read-only"}),
        )
    } else {
        (spec.handler)(path)
    };
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Error" },
        spec.content_type,
        body.len()
    );
    let mut out = &stream;
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())
}

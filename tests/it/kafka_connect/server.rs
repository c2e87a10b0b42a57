//! A Kafka Connect worker for the tests, served on 127.0.0.1 by a thread: fixed
//! answers per path (query included), every request logged (method, path,
//! Authorization), an optional credential every request must carry (else 401), and an
//! optional delay before each answer (a slow worker).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
}

pub struct Server {
    pub url: String,
    pub log: Arc<Mutex<Vec<Logged>>>,
}

#[derive(Default)]
pub struct Options {
    pub required_auth: Option<String>,
    pub delay: Option<Duration>,
}

/// Serve `routes` (path → status and body) until the test process ends.
pub fn serve(routes: HashMap<String, (u16, String)>, options: Options) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut authorization = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("authorization") {
                        authorization = Some(v.trim().to_string());
                    }
                }
            }
            let mut parts = first.split_whitespace();
            let (method, path) = (
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").to_string(),
            );
            seen.lock().unwrap().push(Logged {
                method: method.clone(),
                path: path.clone(),
                authorization: authorization.clone(),
            });
            if let Some(d) = options.delay {
                std::thread::sleep(d);
            }
            let (status, body) = if options.required_auth.is_some() && authorization != options.required_auth {
                (401, r#"{"error_code":401,"message":"Unauthorized"}"#.to_string())
            } else if method != "GET" {
                (
                    405,
                    r#"{"error_code":405,"message":"HTTP 405 Method Not Allowed"}"#.to_string(),
                )
            } else {
                routes
                    .get(&path)
                    .cloned()
                    .unwrap_or((404, r#"{"error_code":404,"message":"HTTP 404 Not Found"}"#.into()))
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    Server { url, log }
}

impl Server {
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }
}

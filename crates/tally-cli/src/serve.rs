//! `tally serve`: Metronome's REST API over HTTP on this machine, so any language's client (and curl)
//! can run against Tally as the JS package's `engine.fetch` does. Every request goes through the same
//! door (`tally_core::http`); this file only carries bytes in and out, keeps the clock, and saves the
//! state after each change.

use crate::cli::ServeArgs;
use crate::{writable, Failure};
use axum::body::{to_bytes, Body};
use axum::extract::State as Shared;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use chrono::SubsecRound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tally_core::http::{respond, Response as Answer};
use tally_core::{Error, ErrorCode, State, Timestamp};

/// What the server holds between requests.
struct Server {
    state: State,
    now: Timestamp,
    /// `--now` was given: the clock stands still unless `POST /tally/clock` moves it.
    still: bool,
    file: Option<PathBuf>,
}

/// What every request's handler reaches: the largest body taken, fixed at start, and the server,
/// one request at a time.
struct Held {
    max_body: usize,
    server: Mutex<Server>,
}

pub fn serve(a: &ServeArgs) -> Result<u8, Failure> {
    let state = match &a.state {
        Some(f) => {
            writable(f)?;
            load(f)?
        }
        None => State::default(),
    };
    let server = Server {
        state,
        now: a.now.unwrap_or_else(wall_clock),
        still: a.now.is_some(),
        file: a.state.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let held = Held {
        max_body: a.max_body,
        server: Mutex::new(server),
    };
    runtime.block_on(listen(a, Arc::new(held)))
}

async fn listen(a: &ServeArgs, server: Arc<Held>) -> Result<u8, Failure> {
    let listener = tokio::net::TcpListener::bind((a.host, a.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", a.host, a.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The one line a script waits for: with --port 0 it is how the port is learnt.
    eprintln!("tally serve: listening on http://{addr}");
    let app = Router::new().fallback(handle).with_state(server);
    axum::serve(listener, app)
        .await
        .map_err(|e| format!("the server stopped: {e}"))?;
    Ok(0)
}

fn load(file: &Path) -> Result<State, Failure> {
    if !file.exists() {
        return Ok(State::default());
    }
    let text = crate::read(file)?;
    tally_core::state::import(&text)
        .map_err(|e| Failure::from(format!("{} is not an exported state: {e}", file.display())))
}

fn wall_clock() -> Timestamp {
    Timestamp(chrono::Utc::now().trunc_subsecs(0))
}

async fn handle(Shared(held): Shared<Arc<Held>>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let max_body = held.max_body;
    // A body that says it is over the limit is refused before it is read.
    let declared = parts.headers.get(axum::http::header::CONTENT_LENGTH);
    if declared
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n > max_body)
    {
        return too_large(max_body);
    }
    let bytes = match to_bytes(body, max_body).await {
        Ok(b) => b,
        Err(e) => return too_large_or_cut(&e, max_body),
    };
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut s = held.server.lock().unwrap_or_else(|p| p.into_inner());
    if !s.still {
        s.now = s.now.max(wall_clock());
    }
    let Server { state, now, .. } = &mut *s;
    let req = tally_core::http::Request {
        method: parts.method.as_str(),
        target,
        body: &bytes,
    };
    let answer = respond(state, now, req);
    let answer = if answer.changed {
        s.save().map_or_else(|e| e, |()| answer)
    } else {
        answer
    };
    to_http(&answer)
}

impl Server {
    /// Writes the state to a new file beside the old and renames it over: a crash leaves the old file
    /// or the new one, never half of either. When it cannot be written, the change stays made in
    /// memory (so nothing the server holds is lost, and the next change that can be written saves it
    /// too), and the answer says so with a 500 the SDK does not retry.
    fn save(&mut self) -> Result<(), Answer> {
        let Some(file) = &self.file else { return Ok(()) };
        let tmp = file.with_extension("json.tmp");
        let written =
            std::fs::write(&tmp, tally_core::state::export(&self.state)).and_then(|()| std::fs::rename(&tmp, file));
        let Err(e) = written else { return Ok(()) };
        let _ = std::fs::remove_file(&tmp);
        let message = format!(
            "the change was made but {} cannot be written ({e}): the server keeps it and writes it with the next change that can be",
            file.display()
        );
        let body = serde_json::json!({ "message": message, "code": "not_saved", "path": "" });
        Err(Answer {
            status: 500,
            body: body.to_string(),
            changed: true,
        })
    }
}

/// 413 for a body over the limit; 400 for one that stopped before its end (a client that went away).
fn too_large_or_cut(e: &axum::Error, max_body: usize) -> Response {
    if std::error::Error::source(e).is_some_and(|s| s.downcast_ref::<http_body_util::LengthLimitError>().is_some()) {
        return too_large(max_body);
    }
    let message = format!("the request body could not be read: {e}");
    to_http(&Answer::refusal(&Error::new(ErrorCode::InvalidBody, "", message)))
}

fn too_large(max_body: usize) -> Response {
    let message = format!("the request body is over {max_body} bytes (tally serve --max-body)");
    let mut answer = Answer::refusal(&Error::new(ErrorCode::InvalidBody, "", message));
    answer.status = 413;
    to_http(&answer)
}

fn to_http(answer: &Answer) -> Response {
    let mut r = Response::new(Body::from(answer.body.clone()));
    *r.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in answer.headers() {
        r.headers_mut().insert(k, HeaderValue::from_static(v));
    }
    r
}

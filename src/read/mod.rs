//! Reading: the bytes of a file to the text the extractor reads.
//!
//! Plain text is decoded ([`charset`]: UTF-8, else GB18030) and handed out
//! in pieces cut at sentence ends ([`pieces`]), so a document of any size is
//! read in bounded memory. HTML, Word and PDF files ([`published`]: `html`,
//! `docx`, `pdf`) are converted whole, in a child process that a hostile
//! file cannot take the run down with ([`convert`]). [`open`] picks the way
//! for one file; [`digest`] records what was read of it; [`capped`] reads
//! the small files beside the documents within a size.

pub mod capped;
mod charset;
pub mod convert;
pub mod digest;
#[cfg(feature = "docx")]
mod docx;
#[cfg(feature = "html")]
mod html;
#[cfg(any(feature = "html", feature = "docx", feature = "pdf"))]
mod lines;
pub mod open;
#[cfg(feature = "pdf")]
mod pdf;
pub mod pieces;
pub mod published;

pub use charset::{decode, decode_owned, decode_text, detect_head, Damage, Decoder, Encoding};

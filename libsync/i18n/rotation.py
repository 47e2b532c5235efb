"""Rotation of printed materials: batches, schedules, exchange manifests, handover minutes,
and the shared official-document renderer (``rotation.doc.*``)."""

MESSAGES = {
    # --- official documents (libsync.render.document) ------------------------------------
    "rotation.doc.national_title": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "rotation.doc.motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "rotation.doc.date_line": (
        "{place}, ngày {day} tháng {month} năm {year}",
        "{place}, {day_num} {month_name} {year}",
    ),
    "rotation.doc.sign_note": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "rotation.doc.bad_extension": (
        "Không biết ghi tệp {path} theo định dạng nào; dùng phần mở rộng {choices}.",
        "Cannot tell which format to write {path} in; use one of the extensions {choices}.",
    ),
}

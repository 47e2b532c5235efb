"""Messages of the stocktake commands (``libsync inventory …``) and their minutes."""

MESSAGES = {
    # --- reading scans -------------------------------------------------------------------
    "inventory.scan_empty": (
        "{path}: tệp quét không có mã vạch nào (tệp trống hoặc chỉ có dòng trống/ghi chú). Không ghi gì.",
        "{path}: the scan holds no barcode at all (empty, or only blank/comment lines). Nothing was written.",
    ),
    "inventory.scan_encoding": (
        "{path}, dòng {line}: byte {byte} không hợp lệ trong bảng mã {encoding}. Hãy lưu tệp dạng UTF-8 "
        "(Notepad: Lưu thành… → Mã hóa UTF-8) hoặc chỉ rõ bảng mã bằng --encoding (ví dụ cp1258, utf-16).",
        "{path}, line {line}: byte {byte} is not valid {encoding}. Save the file as UTF-8 "
        "or name its encoding with --encoding (e.g. cp1258, utf-16).",
    ),
    "inventory.scan_binary": (
        "{path}, dòng {line}: tệp có byte rỗng (NUL) — có thể là UTF-16 không có BOM hoặc không phải tệp văn bản. "
        "Hãy lưu lại dạng UTF-8 hoặc dùng --encoding utf-16-le.",
        "{path}, line {line}: the file holds NUL bytes — UTF-16 without a BOM, or not a text file. "
        "Save it as UTF-8 or pass --encoding utf-16-le.",
    ),
    "inventory.scan_bad_encoding_name": ("Bảng mã không tồn tại: {encoding}", "Unknown encoding: {encoding}"),
    "inventory.scan_bad_xlsx": (
        "{path}: không mở được tệp Excel (.xlsx): {reason}",
        "{path}: cannot open the Excel (.xlsx) file: {reason}",
    ),
    "inventory.scan_too_large": (
        "{path}: tệp quét quá lớn ({size} MB, tối đa {limit} MB).",
        "{path}: scan file too large ({size} MB, at most {limit} MB).",
    ),
    "inventory.scan_skipped": (
        "Bỏ qua dòng không phải mã vạch: «{text}»",
        "Skipped a line that is not a barcode: «{text}»",
    ),
    "inventory.scan_cleaned": (
        "Đã làm sạch «{text}» thành {barcode} (khoảng trắng, ký tự điều khiển hoặc tiền tố của máy quét)",
        "Cleaned «{text}» to {barcode} (spaces, control characters or scanner prefix)",
    ),
}

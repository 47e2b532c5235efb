"""Messages of `libsync oai serve` (the OAI-PMH data provider) and of the static repository."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- help -------------------------------------------------------------------------------------
    "help.oai": (
        "Cho các hệ thống thư viện khác (Koha, VuFind, DSpace…) thu thập mục lục liên hợp qua OAI-PMH.",
        "Let other library systems (Koha, VuFind, DSpace…) harvest the union catalogue over OAI-PMH.",
    ),
    "help.oai.serve": (
        "Chạy máy chủ OAI-PMH 2.0 tại http://HOST:PORT/oai (dừng bằng Ctrl-C). Chỉ phục vụ những biểu ghi "
        "đối tượng --audience được xem; biểu ghi nội bộ không bao giờ lộ ra, kể cả mã định danh.",
        "Run an OAI-PMH 2.0 data provider at http://HOST:PORT/oai (stop it with Ctrl-C). Only the records "
        "--audience may see are served; an internal record is never shown, not even its identifier.",
    ),
    "help.oai.serve.audience": (
        "Ai được thu thập: public (mặc định: chỉ biểu ghi chia sẻ công khai), network, hoặc mã một thư viện.",
        "Who may harvest: public (default: only records shared publicly), network, or a library's code.",
    ),
    "help.oai.serve.host": (
        "Địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này; 0.0.0.0: mọi máy trong mạng).",
        "Address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: every machine on the network).",
    ),
    "help.oai.serve.port": ("Cổng (mặc định 8080; 0 = cổng trống bất kỳ).", "Port (default 8080; 0 = any free port)."),
    "help.oai.page_size": (
        "Số mục mỗi trang của ListRecords/ListIdentifiers (mặc định 100); trang sau lấy bằng resumptionToken.",
        "Items per page of ListRecords/ListIdentifiers (default 100); the next page is fetched with a resumptionToken.",
    ),
    "help.oai.admin_email": (
        "Địa chỉ email của người quản trị, ghi trong Identify (lặp lại được). Mặc định: email của thư viện chủ trì trong network.yaml.",
        "The administrator's email address given in Identify (repeatable). Default: the lead library's email in network.yaml.",
    ),
    "help.oai.no_cache": ("Đọc lại mọi tệp thay vì dùng bộ nhớ đệm.", "Read every file again instead of the cache."),
    "help.oai.request": (
        "Trả lời một yêu cầu OAI-PMH không cần máy chủ, in XML ra màn hình (để thử hoặc kiểm tra).",
        "Answer one OAI-PMH request without a server and print the XML (to try or check it).",
    ),
    "help.oai.request.query": (
        "Yêu cầu dạng chuỗi truy vấn, ví dụ 'verb=ListRecords&metadataPrefix=oai_dc&set=XS'.",
        "The request as a query string, e.g. 'verb=ListRecords&metadataPrefix=oai_dc&set=XS'.",
    ),
    "help.oai.static": (
        "Ghi mục lục thành một tệp OAI-PMH Static Repository (để cổng Static Repository Gateway cho thu thập).",
        "Write the catalogue as an OAI-PMH Static Repository file (for a Static Repository Gateway to serve).",
    ),
    "help.oai.static.base_url": (
        "baseURL ghi trong tệp: địa chỉ cổng gateway nối với địa chỉ của tệp (không có http://), theo hướng dẫn của OAI.",
        "The baseURL written in the file: the gateway's URL followed by the file's URL (without http://), as the OAI guideline asks.",
    ),
    # --- the server -----------------------------------------------------------------------------------
    "oai.serve.started": (
        "Máy chủ OAI-PMH ({audience}) đang chạy tại {url} — nhấn Ctrl-C để dừng.",
        "OAI-PMH provider ({audience}) running at {url} — press Ctrl-C to stop.",
    ),
    "oai.serve.stopped": ("Đã dừng máy chủ OAI-PMH.", "OAI-PMH provider stopped."),
    "oai.serve.built": (
        "Đã đọc kho: {records} biểu ghi phục vụ, {deleted} biểu ghi báo đã xoá ({seconds:.1f} giây).",
        "Read the repository: {records} records served, {deleted} reported deleted ({seconds:.1f} s).",
    ),
    "oai.serve.port_busy": (
        "Cổng {port} trên {host} đang được chương trình khác dùng (Address already in use). Hãy chọn cổng khác, "
        "ví dụ --port 8081, hoặc dừng chương trình đang giữ cổng.",
        "Port {port} on {host} is already in use (Address already in use). Choose another, e.g. --port 8081, "
        "or stop the program holding it.",
    ),
    "oai.serve.cannot_listen": (
        "Không mở được cổng {port} trên {host}: {reason}.",
        "Cannot listen on {host} port {port}: {reason}.",
    ),
    "oai.serve.no_email": (
        "Chú ý: network.yaml không có email của thư viện nào, Identify sẽ ghi {email}. Hãy thêm --admin-email ĐỊA_CHỈ.",
        "Note: network.yaml gives no library email; Identify will say {email}. Add --admin-email ADDRESS.",
    ),
    "oai.bad_email": (
        "'{email}' không phải địa chỉ email.",
        "'{email}' is not an email address.",
    ),
    "oai.http.not_found": (
        "Không có gì ở đây. Máy chủ OAI-PMH nằm ở {path}, ví dụ {path}?verb=Identify",
        "Nothing here. The OAI-PMH provider is at {path}, e.g. {path}?verb=Identify",
    ),
    "oai.http.too_large": ("Yêu cầu quá lớn.", "Request too large."),
    "oai.http.method": ("OAI-PMH chỉ dùng GET hoặc POST.", "OAI-PMH uses GET or POST only."),
    "oai.set.types": ("Theo loại tài liệu", "By type of material"),
    # --- protocol errors (the text of <error>) ----------------------------------------------------------
    "oai.error.no_verb": ("Thiếu tham số verb.", "The verb argument is missing."),
    "oai.error.verb_repeated": ("Tham số verb bị lặp lại.", "The verb argument is repeated."),
    "oai.error.bad_verb": ("'{verb}' không phải một verb của OAI-PMH.", "'{verb}' is not an OAI-PMH verb."),
    "oai.error.illegal_argument": (
        "Tham số '{name}' không dùng được với {verb}.", "The argument '{name}' is not allowed with {verb}.",
    ),
    "oai.error.repeated_argument": ("Tham số '{name}' bị lặp lại.", "The argument '{name}' is repeated."),
    "oai.error.missing_argument": ("{verb} cần tham số {name}.", "{verb} needs the argument {name}."),
    "oai.error.token_exclusive": (
        "resumptionToken phải đi một mình (chỉ kèm verb).", "resumptionToken must be the only argument besides verb.",
    ),
    "oai.error.bad_prefix_syntax": ("metadataPrefix không hợp lệ.", "The metadataPrefix is not valid."),
    "oai.error.bad_set_syntax": ("setSpec không hợp lệ.", "The setSpec is not valid."),
    "oai.error.bad_identifier_syntax": ("identifier không phải một URI.", "The identifier is not a URI."),
    "oai.error.bad_date": (
        "'{name}' phải có dạng YYYY-MM-DD hoặc YYYY-MM-DDThh:mm:ssZ.",
        "'{name}' must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.",
    ),
    "oai.error.mixed_granularity": (
        "from và until phải cùng độ chi tiết (cùng là ngày, hoặc cùng là giây).",
        "from and until must have the same granularity (both days or both seconds).",
    ),
    "oai.error.from_after_until": ("from đứng sau until.", "from is later than until."),
    "oai.error.unknown_prefix": (
        "Không có định dạng '{prefix}'. Có: {known}.", "No metadata format '{prefix}'. Available: {known}.",
    ),
    "oai.error.cannot_disseminate": (
        "Biểu ghi này không cung cấp được ở định dạng {prefix} (có ký tự XML không chứa được).",
        "This record cannot be disseminated as {prefix} (it holds characters XML cannot carry).",
    ),
    "oai.error.no_formats": (
        "Biểu ghi này không cung cấp được ở định dạng nào.", "No metadata format is available for this record.",
    ),
    "oai.error.no_identifier": ("Không có biểu ghi {identifier}.", "No record {identifier}."),
    "oai.error.no_records": ("Không có biểu ghi nào khớp yêu cầu.", "No record matches the request."),
    "oai.error.no_sets": ("Kho này không chia tập (set).", "This repository has no sets."),
    "oai.error.bad_token": ("resumptionToken không hợp lệ.", "The resumptionToken is not valid."),
    "oai.error.stale_token": (
        "resumptionToken đã hết hạn: kho dữ liệu đã thay đổi. Hãy thu thập lại từ đầu.",
        "The resumptionToken has expired: the repository changed. Start the harvest again.",
    ),
    # --- the static repository --------------------------------------------------------------------------
    "oai.static.too_big": (
        "Không ghi {file} (OAI-PMH Static Repository): {records} biểu ghi, quá giới hạn {limit} của hướng dẫn OAI. "
        "Hãy dùng `libsync oai serve` để cho thu thập.",
        "{file} (OAI-PMH Static Repository) not written: {records} records, beyond the OAI guideline's {limit}. "
        "Use `libsync oai serve` to be harvested.",
    ),
    "oai.static.written": (
        "Đã ghi {file}: {records} biểu ghi ({kb} KB).", "Wrote {file}: {records} records ({kb} KB).",
    ),
}

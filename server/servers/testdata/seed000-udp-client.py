# Seed 000's UDP client (the course page's UDPClient class, unchanged), driven against the lab's udp-echo.
# Usage: seed000-udp-client.py <port>. Prints "RESULT <json>" per call (what it returned) among the seed's own lines.
# The driver below is the lab's: first the seed's own __main__ sequence (without its sleeps), then the two
# BINARY datagrams read one by one, which the seed's send_message(expect_binary=True) cannot do (it reads one
# datagram, the text echo, and struct.unpack fails on it).
import json
import socket
import struct
import sys

class UDPClient:
    def __init__(self, server_host='127.0.0.1', server_port=8889):
        self.server_host = server_host
        self.server_port = server_port
        self.client_socket = None
        self.timeout = 5  # секунд
        
    def create_socket(self):
        """Создание UDP-сокета"""
        self.client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.client_socket.settimeout(self.timeout)
        
    def send_message(self, message, expect_binary=False):
        """Отправка сообщения на UDP-сервер"""
        try:
            if not self.client_socket:
                self.create_socket()
            
            # Отправка данных
            print(f"Sending: {message}")
            self.client_socket.sendto(
                message.encode('utf-8'),
                (self.server_host, self.server_port)
            )
            
            # Ожидание ответа
            response, server_address = self.client_socket.recvfrom(1024)
            
            if expect_binary:
                # Декодируем бинарные данные
                unpacked = struct.unpack('If', response)
                print(f"Binary response from {server_address}: {unpacked}")
                return unpacked
            else:
                decoded_response = response.decode('utf-8')
                print(f"Response from {server_address}: {decoded_response}")
                return decoded_response
                
        except socket.timeout:
            print(f"No response from server within {self.timeout} seconds")
            return None
        except Exception as e:
            print(f"Communication error: {e}")
            return None
    
    def close(self):
        """Закрытие сокета"""
        if self.client_socket:
            self.client_socket.close()
            print("UDP socket closed")


def show(value):
    print("RESULT " + json.dumps(list(value) if isinstance(value, tuple) else value), flush=True)


if __name__ == "__main__":
    udp_client = UDPClient(server_port=int(sys.argv[1]))
    for msg in ["Hello UDP!", "BINARY_TEST", "Another message"]:
        show(udp_client.send_message(msg, expect_binary=("BINARY" in msg)))
    udp_client.close()

    reader = UDPClient(server_port=int(sys.argv[1]))
    show(reader.send_message("BINARY_TEST"))
    data, _ = reader.client_socket.recvfrom(1024)
    show(struct.unpack("If", data))
    reader.close()

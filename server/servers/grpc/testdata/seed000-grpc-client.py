# Seed 000's gRPC client (the course page's grpc_client.py: GRPCClient and AdvancedGRPCClient, unchanged),
# driven against the lab's 50051. Usage: seed000-grpc-client.py <port>, from a folder whose generated/
# holds the stubs grpc_tools.protoc made from the lab's served user_service.proto (on PYTHONPATH too, as
# the generated _grpc module imports its _pb2 by bare name).
# The driver at the end is the lab's: the seed's own __main__ sequence, without starting a server of its
# own (the lab is the server) and with every sleep a tenth as long (the seed's pauses only space its output;
# the bidirectional test still waits six of its own tenths for the chat thread).
import grpc
import time
import threading
from typing import List
from datetime import datetime

# Импортируем сгенерированный код
from generated import user_service_pb2 as pb2
from generated import user_service_pb2_grpc as pb2_grpc

class GRPCClient:
    """gRPC клиент с примерами всех типов RPC"""
    
    def __init__(self, host='localhost', port=50051):
        self.channel = None
        self.stub = None
        self.server_address = f"{host}:{port}"
    
    def connect(self):
        """Подключение к серверу"""
        try:
            # Создаем канал с опциями
            options = [
                ('grpc.max_send_message_length', 100 * 1024 * 1024),  # 100MB
                ('grpc.max_receive_message_length', 100 * 1024 * 1024),  # 100MB
                ('grpc.keepalive_time_ms', 10000),  # Keepalive каждые 10 секунд
            ]
            
            self.channel = grpc.insecure_channel(self.server_address, options=options)
            self.stub = pb2_grpc.UserServiceStub(self.channel)
            
            # Тестовый запрос для проверки соединения
            response = self.stub.GetUser(pb2.GetUserRequest(user_id=1), timeout=5)
            print(f"Connected to gRPC server at {self.server_address}")
            print(f"Test response: {response.name} ({response.email})")
            
            return True
            
        except grpc.RpcError as e:
            print(f"Connection error: {e.code()}: {e.details()}")
            return False
    
    def test_unary_rpc(self):
        """Тестирование Unary RPC"""
        print("\n=== Testing Unary RPC ===")
        
        try:
            # Получение существующего пользователя
            response = self.stub.GetUser(pb2.GetUserRequest(user_id=1))
            print(f"User 1: {response.name}, Age: {response.age}, Status: {response.status}")
            
            # Попытка получить несуществующего пользователя
            try:
                response = self.stub.GetUser(pb2.GetUserRequest(user_id=999))
            except grpc.RpcError as e:
                print(f"Error as expected: {e.code()}: {e.details()}")
                
        except grpc.RpcError as e:
            print(f"RPC failed: {e.code()}: {e.details()}")
    
    def test_server_streaming(self):
        """Тестирование Server Streaming RPC"""
        print("\n=== Testing Server Streaming RPC ===")
        
        try:
            # Запрос потока пользователей
            request = pb2.GetUsersRequest(limit=3)
            responses = self.stub.GetUsers(request)
            
            print("Receiving user stream...")
            for i, user in enumerate(responses, 1):
                print(f"User {i}: {user.name} ({user.email})")
                time.sleep(0.1)  # Имитация обработки
                
            print("Stream completed")
            
        except grpc.RpcError as e:
            print(f"RPC failed: {e.code()}: {e.details()}")
    
    def test_client_streaming(self):
        """Тестирование Client Streaming RPC"""
        print("\n=== Testing Client Streaming RPC ===")
        
        def generate_requests():
            """Генератор запросов для stream"""
            users_data = [
                {"name": "David", "email": "david@example.com", "age": 28},
                {"name": "Eve", "email": "eve@example.com", "age": 22},
                {"name": "Frank", "email": "frank@example.com", "age": 40},
            ]
            
            for user_data in users_data:
                yield pb2.CreateUserRequest(**user_data)
                time.sleep(0.3)  # Имитация задержки между запросами
        
        try:
            # Отправка потока запросов
            response = self.stub.CreateUsers(generate_requests())
            print(f"Created {response.created_count} users")
            for user in response.users:
                print(f"  - {user.name} (ID: {user.id})")
                
        except grpc.RpcError as e:
            print(f"RPC failed: {e.code()}: {e.details()}")
    
    def test_bidirectional_streaming(self):
        """Тестирование Bidirectional Streaming RPC"""
        print("\n=== Testing Bidirectional Streaming RPC ===")
        
        def send_messages():
            """Поток для отправки сообщений"""
            messages = [
                "Hello from client!",
                "How are you?",
                "This is bidirectional streaming",
                "Goodbye!"
            ]
            
            for i, message in enumerate(messages):
                time.sleep(1)
                msg = pb2.ChatMessage(
                    user_id="Client",
                    message=message,
                    timestamp=int(datetime.now().timestamp())
                )
                print(f"Sending: {message}")
                yield msg
        
        def receive_messages():
            """Получение сообщений от сервера"""
            try:
                # Отправляем запрос и получаем поток ответов
                responses = self.stub.Chat(send_messages())
                
                for response in responses:
                    print(f"Received from {response.user_id}: {response.message}")
                    print(f"  Timestamp: {datetime.fromtimestamp(response.timestamp)}")
                    
            except grpc.RpcError as e:
                print(f"Chat error: {e.code()}: {e.details()}")
        
        # Запускаем в отдельном потоке, чтобы не блокировать
        chat_thread = threading.Thread(target=receive_messages)
        chat_thread.daemon = True
        chat_thread.start()
        
        # Ждем завершения чата
        time.sleep(6)
        print("Chat test completed")
    
    def test_concurrent_requests(self):
        """Тестирование конкурентных запросов"""
        print("\n=== Testing Concurrent Requests ===")
        
        def make_request(user_id):
            try:
                response = self.stub.GetUser(pb2.GetUserRequest(user_id=user_id))
                print(f"Thread {user_id}: Got {response.name}")
            except grpc.RpcError as e:
                print(f"Thread {user_id}: Error {e.code()}")
        
        # Создаем несколько потоков
        threads = []
        user_ids = [1, 2, 3, 999]  # Последний вызовет ошибку
        
        for user_id in user_ids:
            thread = threading.Thread(target=make_request, args=(user_id,))
            threads.append(thread)
            thread.start()
            time.sleep(0.1)
        
        # Ждем завершения всех потоков
        for thread in threads:
            thread.join()
        
        print("Concurrent requests completed")
    
    def disconnect(self):
        """Отключение от сервера"""
        if self.channel:
            self.channel.close()
            print("Disconnected from gRPC server")

# Пример с метаданными и дедлайнами
class AdvancedGRPCClient:
    """Продвинутый клиент с дополнительными возможностями"""
    
    def __init__(self, stub):
        self.stub = stub
    
    def call_with_metadata(self):
        """Вызов с метаданными"""
        print("\n=== Testing with Metadata ===")
        
        # Создаем метаданные
        metadata = [
            ('authorization', 'Bearer my_token'),
            ('client-id', 'python-client-1.0'),
            ('request-id', '12345'),
        ]
        
        try:
            # Вызов с метаданными и дедлайном
            response = self.stub.GetUser(
                pb2.GetUserRequest(user_id=1),
                metadata=metadata,
                timeout=3,  # 3 секунды дедлайн
            )
            print(f"Response with metadata: {response.name}")
            
        except grpc.RpcError as e:
            print(f"Error: {e.code()}: {e.details()}")
    
    def call_with_compression(self):
        """Вызов со сжатием"""
        print("\n=== Testing with Compression ===")
        
        try:
            # Включаем сжатие для запроса
            response = self.stub.GetUser(
                pb2.GetUserRequest(user_id=1),
                compression=grpc.Compression.Gzip
            )
            print(f"Response with compression: {response.name}")
            
        except grpc.RpcError as e:
            print(f"Error: {e.code()}: {e.details()}")

# The lab's driver (see the top of the file).
if __name__ == "__main__":
    import sys
    _sleep = time.sleep
    time.sleep = lambda seconds: _sleep(seconds / 10)
    client = GRPCClient(port=int(sys.argv[1]))
    if client.connect():
        client.test_unary_rpc()
        time.sleep(1)
        client.test_server_streaming()
        time.sleep(1)
        client.test_client_streaming()
        time.sleep(1)
        client.test_bidirectional_streaming()
        time.sleep(2)
        client.test_concurrent_requests()
        advanced_client = AdvancedGRPCClient(client.stub)
        advanced_client.call_with_metadata()
        advanced_client.call_with_compression()
        client.disconnect()
    print("\nAll tests completed")
